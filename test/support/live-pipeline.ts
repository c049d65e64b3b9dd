import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDatabase, migrateDatabase } from "@evoke/db";
import {
  ensureBrokerJars,
  isAlive,
  type LocalBroker,
  REPO_ROOT,
  type RunningService,
  setUpTopics,
  silentProgress,
  startEmbeddedPostgres,
  startLocalBroker,
  startService,
  stopEmbeddedPostgres,
} from "@evoke/infra";
import { freePort } from "./ports.ts";

/*
 * The whole pipeline as separate processes, the way `npm start` runs it (ingest, coding,
 * aggregation and the dashboard, each `node --import tsx <entry>`), on a broker and a
 * PostgreSQL of its own: the services' topic names are fixed, so a shared broker would mix one
 * suite's events with another's. Any service can be SIGKILLed and started again, and the broker
 * and the database restarted, which is what the end-to-end, resilience and load runs need.
 * No vitest here: the pipeline benchmark uses it too.
 */

export type ServiceName = "ingest" | "coding" | "aggregation" | "dashboard";

const ENTRIES: Record<ServiceName, string> = {
  ingest: "services/ingest/src/main.ts",
  coding: "services/coding/src/main.ts",
  aggregation: "services/aggregation/src/main.ts",
  dashboard: "dashboard/src/main.ts",
};

const PORT_VARIABLES: Record<ServiceName, string> = {
  ingest: "INGEST_PORT",
  coding: "CODING_PORT",
  aggregation: "AGGREGATION_PORT",
  dashboard: "DASHBOARD_PORT",
};

export interface LivePipelineOptions {
  /** Instances of the Kafka consumers (default 1 each). */
  readonly replicas?: { readonly coding?: number; readonly aggregation?: number };
  /** Partitions of each topic (default 6, as KAFKA_TOPIC_PARTITIONS). */
  readonly partitions?: number;
  /** Extra variables for every service (e.g. INGEST_RATE_LIMIT). */
  readonly env?: Readonly<Record<string, string>>;
  /** More postgresql.conf settings, as name=value (a benchmark's pg_stat_statements). */
  readonly postgresSettings?: readonly string[];
}

interface Instance {
  readonly name: ServiceName;
  readonly index: number;
  readonly port: number;
  running: RunningService | undefined;
}

export interface LivePipeline {
  readonly dataDir: string;
  readonly brokers: readonly string[];
  readonly databaseUrl: string;
  readonly ingestUrl: string;
  readonly dashboardUrl: string;
  /** Secret of the ingest API key "e2e". */
  readonly ingestKey: string;
  /** Secret of the dashboard token "director" (all programmes). */
  readonly directorToken: string;
  /** How many instances of the service run now. */
  instances(name: ServiceName): number;
  /** Whether the instance's process is alive (false once killed, stopped, or crashed by itself). */
  isRunning(name: ServiceName, index?: number): boolean;
  /** SIGKILLs one instance (no goodbye: no offsets committed, no transaction ended) and waits until it is gone. */
  kill(name: ServiceName, index?: number): Promise<void>;
  /** Starts a killed or stopped instance again and waits until it serves. */
  start(name: ServiceName, index?: number): Promise<void>;
  /** Stops one instance gracefully (SIGTERM). */
  stop(name: ServiceName, index?: number): Promise<void>;
  /** Stops the broker (every service keeps running) and starts it again on the same data. */
  restartBroker(downMs?: number): Promise<void>;
  /** Stops PostgreSQL (fast shutdown: connections cut) and starts it again on the same data. */
  restartPostgres(downMs?: number): Promise<void>;
  /** A service's log file. */
  logFile(name: ServiceName, index?: number): string;
  close(): Promise<void>;
}

const secret = () => randomBytes(18).toString("base64url");

export async function startLivePipeline(options: LivePipelineOptions = {}): Promise<LivePipeline> {
  const dataDir = await mkdtemp(join(tmpdir(), "evoke-live-"));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const brokerOptions = { dir: join(dataDir, "kafka"), port: await freePort(), controllerPort: await freePort() };
  const postgresOptions = {
    dir: join(dataDir, "postgres"),
    port: await freePort(),
    progress: silentProgress,
    ...(options.postgresSettings === undefined ? {} : { settings: options.postgresSettings }),
  };
  await ensureBrokerJars(); // on a fresh clone, when run before anything else fetched them
  let broker: LocalBroker | undefined = await startLocalBroker(brokerOptions);
  const postgres = await startEmbeddedPostgres(postgresOptions);
  const brokers = [`127.0.0.1:${brokerOptions.port}`];
  const databaseUrl = postgres.url;
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  await setUpTopics(brokers, { partitions: options.partitions ?? 6, replicationFactor: 1, retentionHours: 168 });

  const ingestKey = secret();
  const directorToken = secret();
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    KAFKA_BROKERS: brokers.join(","),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    INGEST_API_KEYS: `e2e:${ingestKey}`,
    DASHBOARD_TOKENS: `director:${directorToken}:director`,
    // Every answer fresh: the runs poll the API for figures that are still changing.
    DASHBOARD_CACHE_SECONDS: "0",
    ...options.env,
  };

  const counts: Record<ServiceName, number> = {
    ingest: 1,
    coding: options.replicas?.coding ?? 1,
    aggregation: options.replicas?.aggregation ?? 1,
    dashboard: 1,
  };
  const instances: Instance[] = [];
  for (const name of Object.keys(counts) as ServiceName[]) {
    for (let index = 0; index < counts[name]; index += 1)
      instances.push({ name, index, port: await freePort(), running: undefined });
  }
  const find = (name: ServiceName, index = 0): Instance => {
    const found = instances.find((instance) => instance.name === name && instance.index === index);
    if (found === undefined) throw new Error(`no ${name} instance ${index}`);
    return found;
  };
  const logFile = (name: ServiceName, index = 0) => join(dataDir, "logs", `${name}-${index}.log`);

  const start = async (name: ServiceName, index = 0) => {
    const instance = find(name, index);
    if (instance.running !== undefined && isAlive(instance.running.pid)) return;
    instance.running = await startService({
      name: `${name}-${index}`,
      entry: join(REPO_ROOT, ENTRIES[name]),
      env: { ...base, [PORT_VARIABLES[name]]: String(instance.port), CODING_INSTANCE: String(index + 1) },
      logFile: logFile(name, index),
      healthUrl: `http://127.0.0.1:${instance.port}/healthz`,
      readyTimeoutMs: 120_000,
    });
  };
  const kill = async (name: ServiceName, index = 0) => {
    const { running } = find(name, index);
    if (running === undefined) return;
    process.kill(running.pid, "SIGKILL");
    while (isAlive(running.pid)) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const stop = async (name: ServiceName, index = 0) => {
    const instance = find(name, index);
    await instance.running?.stop();
    instance.running = undefined;
  };

  const pipeline: LivePipeline = {
    dataDir,
    brokers,
    databaseUrl,
    ingestUrl: `http://127.0.0.1:${find("ingest").port}`,
    dashboardUrl: `http://127.0.0.1:${find("dashboard").port}`,
    ingestKey,
    directorToken,
    instances: (name) => counts[name],
    isRunning: (name, index = 0) => {
      const { running } = find(name, index);
      return running !== undefined && isAlive(running.pid);
    },
    kill,
    start,
    stop,
    logFile,
    restartBroker: async (downMs = 0) => {
      await broker?.lease.release(); // stops it: this pipeline is its only user
      broker = undefined;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      broker = await startLocalBroker(brokerOptions);
    },
    restartPostgres: async (downMs = 0) => {
      await stopEmbeddedPostgres(postgresOptions);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await startEmbeddedPostgres(postgresOptions);
    },
    close: async () => {
      await Promise.all(instances.map((instance) => instance.running?.stop()));
      await broker?.lease.release();
      await stopEmbeddedPostgres(postgresOptions).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(instances.map((instance) => start(instance.name, instance.index)));
  } catch (error) {
    await pipeline.close();
    throw error;
  }
  return pipeline;
}
