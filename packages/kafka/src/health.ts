import type { Logger } from "@evoke/logger";
import { KafkaAccessError } from "./access-errors.ts";
import { createKafkaClient } from "./client.ts";
import type { KafkaSecurity } from "./security.ts";

export interface ClusterInfo {
  readonly clusterId: string;
  readonly brokers: readonly string[];
}

/** Asks the cluster to describe itself: the broker is ready when this answers. */
export async function describeCluster(
  brokers: readonly string[],
  options: {
    readonly timeoutMs?: number;
    readonly logger?: Logger;
    readonly security?: KafkaSecurity | undefined;
  } = {},
): Promise<ClusterInfo> {
  const kafka = createKafkaClient({
    brokers,
    clientId: "evoke-health",
    connectionTimeoutMs: Math.min(options.timeoutMs ?? 3_000, 3_000),
    // One attempt per call: waitForBroker does the retrying, against its own deadline.
    retries: 0,
    security: options.security,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return {
      clusterId: cluster.clusterId,
      brokers: cluster.brokers.map((broker) => `${broker.host}:${broker.port}`),
    };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Polls `describeCluster` until it answers or `timeoutMs` passes; the error of the last
 * attempt is the one thrown, since it says best what is wrong (refused, unknown host...).
 */
export async function waitForBroker(
  brokers: readonly string[],
  options: {
    readonly timeoutMs?: number;
    readonly intervalMs?: number;
    readonly security?: KafkaSecurity | undefined;
  } = {},
): Promise<ClusterInfo> {
  const { timeoutMs = 60_000, intervalMs = 250, security } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await describeCluster(brokers, { timeoutMs: Math.max(500, deadline - Date.now()), security });
    } catch (error) {
      // A refused certificate or password will be refused again: say so now, not at the deadline.
      if (error instanceof KafkaAccessError || Date.now() + intervalMs >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
