import type { AddressInfo } from "node:net";
import type { FhirConfig, IngestConfig } from "@evoke/config";
import { createKafkaClient, describeCluster, type Kafka } from "@evoke/kafka";
import type { Logger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import { createIngestApp } from "./app.ts";
import { IngestMetrics } from "./metrics.ts";
import { createKafkaPublisher, type PublishTopics } from "./publisher.ts";

export interface RunningIngest {
  readonly url: string;
  /** Stops accepting, answers what is in flight, then disconnects from Kafka. */
  close(): Promise<void>;
}

/** The topics must exist: auto-creation is off, and a missing topic is a set-up mistake to name. */
async function assertTopicsExist(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      throw new Error(
        `Kafka topic${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ${missing.length === 1 ? "does" : "do"} not exist. Create Evoke's topics with: pnpm infra topics (npm start does it).`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}

/** Connects to Kafka, then serves the ingest API on the configured address. */
export async function startIngestServer(
  // The FHIR settings may be left out (the FHIR endpoint then says it is not configured).
  config: Omit<IngestConfig, "fhir"> & { readonly fhir?: FhirConfig },
  options: { readonly logger: Logger; readonly topics: PublishTopics },
): Promise<RunningIngest> {
  const { logger, topics } = options;
  const kafka = createKafkaClient({
    brokers: config.kafka.brokers,
    security: config.kafka.security,
    clientId: "evoke-ingest",
    logger: logger.child({ component: "kafka" }),
    // Fail a request within seconds when the broker is down (a 503 the client can retry),
    // rather than hold it through kafkajs's default half-minute of retries.
    retries: 3,
  });
  await assertTopicsExist(kafka, [...new Set([topics.intake, topics.transcripts])]);
  const publisher = await createKafkaPublisher(kafka, topics);
  const app = createIngestApp({
    apiKeys: config.apiKeys,
    publisher,
    logger,
    metrics: new IngestMetrics({ collectProcessMetrics: true }),
    maxBodyBytes: config.http.maxBodyBytes,
    rateLimitPerSecond: config.rateLimitPerSecond,
    ...(config.fhir === undefined ? {} : { fhir: config.fhir }),
    timeLimits: config.timeLimits,
    isReady: () =>
      describeCluster(config.kafka.brokers, { timeoutMs: 2_000, security: config.kafka.security }).then(
        () => true,
        () => false,
      ),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, () =>
      resolve(started),
    );
    started.once("error", reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${config.http.host}:${address.port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections with no request in flight would hold close() open.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await publisher.close();
    },
  };
}
