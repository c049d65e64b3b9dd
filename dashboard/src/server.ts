import type { AddressInfo } from "node:net";
import type { DashboardConfig } from "@evoke/config";
import { connectDatabase } from "@evoke/db";
import { createKafkaClient } from "@evoke/kafka";
import type { Logger } from "@evoke/logger";
import { describeModels, type ModelDescription } from "@evoke/mi-coding";
import { serve } from "@hono/node-server";
import { createDashboardApp } from "./app.tsx";
import { consumerLag } from "./pipeline/consumer-lag.ts";
import { DeadLetterWatch } from "./pipeline/dead-letter-watch.ts";
import type { PipelineSources } from "./pipeline/sources.ts";

/*
 * The dashboard as a running server: database pool, Kafka sources for the pipeline page (when
 * KAFKA_BROKERS is set), the app, and an orderly stop.
 */

export interface RunningDashboard {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The coder models this installation has, read once: describeModels() parses every model file
 * (several MB each). Without them the dashboard still runs; the agreement page then shows model
 * versions without what they were trained on (e.g. while a model file is being rewritten).
 */
async function knownCoderModels(logger: Logger): Promise<ModelDescription[]> {
  try {
    return await describeModels();
  } catch (error) {
    const { name, code } = error as Error & { code?: string };
    logger.warn({ error: { name, code } }, "coder models could not be described; model versions shown without them");
    return [];
  }
}

export async function startDashboard(config: DashboardConfig, logger: Logger): Promise<RunningDashboard> {
  const database = connectDatabase(config.databaseUrl.reveal(), { applicationName: "evoke-dashboard", max: 10 });
  let deadLetters: DeadLetterWatch | null = null;
  let pipeline: PipelineSources = { consumerLag: null, deadLetters: null };
  if (config.kafka !== null) {
    const kafka = createKafkaClient({
      brokers: config.kafka.brokers,
      security: config.kafka.security,
      clientId: "evoke-dashboard",
      logger: logger.child({ component: "kafka" }),
    });
    deadLetters = new DeadLetterWatch({ logger: logger.child({ component: "dead-letters" }) });
    void deadLetters.start(kafka);
    pipeline = { consumerLag: () => consumerLag(kafka), deadLetters };
  }
  const app = createDashboardApp({
    db: database.db,
    pipeline,
    now: () => new Date(),
    knownModels: await knownCoderModels(logger),
    tokens: config.tokens,
    cacheTtlMs: config.cacheSeconds * 1000,
    sessionLimits: config.sessions,
    oidc: config.oidc,
    secureCookies: config.oidc?.redirectUrl.protocol === "https:",
    ingest: config.ingest,
    logger,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.http.port, hostname: config.http.host }, () =>
      resolve(started),
    );
    started.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.http.host === "0.0.0.0" ? "127.0.0.1" : config.http.host;
  return {
    url: `http://${host}:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deadLetters?.stop();
      await database.close();
    },
  };
}
