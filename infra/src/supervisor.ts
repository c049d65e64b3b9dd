import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  aggregationConfig,
  ConfigError,
  codingConfig,
  type InfrastructureConfig,
  type IngestConfig,
  ingestConfig,
  loadConfig,
} from "@evoke/config";
import { migrateDatabase } from "@evoke/db";
import { aborted, shutdownSignal } from "@evoke/lifecycle";
import { InfraError } from "./errors.ts";
import { megabytes, seconds } from "./format.ts";
import { REPO_ROOT } from "./paths.ts";
import { assertPortFree } from "./ports.ts";
import type { Progress } from "./progress.ts";
import { type RunningService, startService } from "./services.ts";
import { claimSupervisor } from "./single-instance.ts";
import { type Infrastructure, localDirectories, provisionInfrastructure } from "./stack.ts";
import { setUpTopics } from "./topics.ts";

/*
 * `npm start`: infrastructure, migrations, topics, then the services, each waited for; on
 * Ctrl-C the services stop first, then the servers they used. Later issues add the coding and
 * aggregation services and the dashboard here.
 */

/** The URL with its password masked, for URLs the user configured (theirs may be real). */
function maskPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "****";
  return parsed.toString();
}

function describeInfrastructure(infrastructure: Infrastructure): string[] {
  const { kafka, postgres } = infrastructure;
  const kafkaHow =
    kafka.origin.kind === "configured"
      ? "from KAFKA_BROKERS"
      : kafka.origin.outcome === "started"
        ? `local Apache Kafka ${kafka.version} (KRaft), started in ${seconds(kafka.startMs)}${kafka.fetchedBytes ? `, ${megabytes(kafka.fetchedBytes)} of jars fetched` : ""}`
        : `local Apache Kafka ${kafka.version}, already running`;
  const postgresHow =
    postgres.origin.kind === "configured"
      ? "from DATABASE_URL"
      : postgres.origin.outcome === "started"
        ? `embedded PostgreSQL ${postgres.version}, started in ${seconds(postgres.startMs)}`
        : `embedded PostgreSQL ${postgres.version}, already running`;
  // The embedded server's fixed local credentials are shown so people can connect with psql.
  const url = postgres.origin.kind === "configured" ? maskPassword(postgres.url) : postgres.url;
  return [`  Kafka       ${kafka.brokers.join(",")}   ${kafkaHow}`, `  PostgreSQL  ${url}   ${postgresHow}`];
}

/**
 * The ingest API keys: INGEST_API_KEYS when set, else a demo key kept in the data directory so
 * it stays the same from one `npm start` to the next.
 */
async function ingestKeys(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ value: string; demo: boolean }> {
  const configured = env.INGEST_API_KEYS;
  if (configured !== undefined && configured !== "") return { value: configured, demo: false };
  const file = join(dataDir, "demo-ingest-key");
  const existing = (await readFile(file, "utf8").catch(() => "")).trim();
  if (existing !== "") return { value: existing, demo: true };
  const generated = `demo:${randomBytes(24).toString("base64url")}`;
  await writeFile(file, `${generated}\n`, { mode: 0o600 });
  return { value: generated, demo: true };
}

/** A service's config as the service itself will parse it, checked here to fail early and clearly. */
function serviceConfig<Config>(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError)
      throw new InfraError(error.message, "Fix the variable(s) above; README.md#configuration lists them all.");
    throw error;
  }
}

async function startIngest(
  infrastructure: Infrastructure,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<{ service: RunningService; config: IngestConfig; demoKey: string | undefined }> {
  const keys = await ingestKeys(env, dataDir);
  const serviceEnv = {
    ...(env as Record<string, string>),
    KAFKA_BROKERS: infrastructure.kafka.brokers.join(","),
    INGEST_API_KEYS: keys.value,
  };
  const config = serviceConfig(() => loadConfig(ingestConfig, serviceEnv));
  await assertPortFree(
    config.http.port,
    "INGEST_PORT",
    `Or choose another: INGEST_PORT=${config.http.port + 10_000} npm start.`,
    // A killed supervisor's ingest notices and stops within a second or so: let it.
    { waitMs: 5_000 },
  );
  const service = await startService({
    name: "ingest",
    entry: join(REPO_ROOT, "services", "ingest", "src", "main.ts"),
    env: serviceEnv,
    logFile: join(dataDir, "logs", "ingest.log"),
    healthUrl: `http://127.0.0.1:${config.http.port}/healthz`,
  });
  return { service, config, demoKey: keys.demo ? keys.value : undefined };
}

async function startCoding(
  infrastructure: Infrastructure,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<RunningService> {
  const serviceEnv = { ...(env as Record<string, string>), KAFKA_BROKERS: infrastructure.kafka.brokers.join(",") };
  const config = serviceConfig(() => loadConfig(codingConfig, serviceEnv));
  await assertPortFree(
    config.http.port,
    "CODING_PORT",
    `Or choose another: CODING_PORT=${config.http.port + 10_000} npm start.`,
    {
      waitMs: 5_000,
    },
  );
  return startService({
    name: "coding",
    entry: join(REPO_ROOT, "services", "coding", "src", "main.ts"),
    env: serviceEnv,
    logFile: join(dataDir, "logs", "coding.log"),
    healthUrl: `http://127.0.0.1:${config.http.port}/healthz`,
  });
}

async function startAggregation(
  infrastructure: Infrastructure,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<RunningService> {
  const serviceEnv = {
    ...(env as Record<string, string>),
    KAFKA_BROKERS: infrastructure.kafka.brokers.join(","),
    DATABASE_URL: infrastructure.postgres.url,
  };
  const config = serviceConfig(() => loadConfig(aggregationConfig, serviceEnv));
  await assertPortFree(
    config.http.port,
    "AGGREGATION_PORT",
    `Or choose another: AGGREGATION_PORT=${config.http.port + 10_000} npm start.`,
    { waitMs: 5_000 },
  );
  return startService({
    name: "aggregation",
    entry: join(REPO_ROOT, "services", "aggregation", "src", "main.ts"),
    env: serviceEnv,
    logFile: join(dataDir, "logs", "aggregation.log"),
    healthUrl: `http://127.0.0.1:${config.http.port}/healthz`,
  });
}

export interface SupervisorOptions {
  /** False for `pnpm infra up`: infrastructure, migrations and topics only, no services. */
  readonly services: boolean;
}

export async function runSupervisor(
  config: InfrastructureConfig,
  env: NodeJS.ProcessEnv,
  progress: Progress,
  options: SupervisorOptions = { services: true },
): Promise<void> {
  const { root } = localDirectories(config);
  await mkdir(root, { recursive: true });
  const signal = shutdownSignal();
  const releaseClaim = await claimSupervisor(root);
  const services: RunningService[] = [];
  try {
    console.log("Evoke: starting…");
    const infrastructure = await provisionInfrastructure(config, progress);
    try {
      if (signal.aborted) return;
      await migrateDatabase(infrastructure.postgres.url);
      const created = await setUpTopics(infrastructure.kafka.brokers, config.kafka.topics);
      const lines = [
        "",
        options.services ? "Evoke is up:" : "Evoke's infrastructure is up (no services: pnpm infra up):",
        ...describeInfrastructure(infrastructure),
        "  Migrations  applied",
        `  Topics      ${created.length > 0 ? `created ${created.join(", ")}` : "evoke.intake.v1, evoke.coded.v1, evoke.dlq.v1 present"}`,
      ];
      if (options.services) {
        if (signal.aborted) return;
        const ingest = await startIngest(infrastructure, env, root);
        services.push(ingest.service);
        if (signal.aborted) return;
        services.push(await startCoding(infrastructure, env, root));
        if (signal.aborted) return;
        services.push(await startAggregation(infrastructure, env, root));
        const ingestUrl = `http://${ingest.config.http.host}:${ingest.config.http.port}`;
        const [demoName, demoSecret] = ingest.demoKey?.split(/:(.*)/s) ?? [];
        lines.push(
          `  Ingest API  ${ingestUrl}/v1/events   (OpenAPI: ${ingestUrl}/openapi.json, guide: docs/ingest.md)`,
          "  Coding      transcripts on evoke.intake.v1 → MITI codings on evoke.coded.v1",
          "  Aggregation evoke.intake.v1 + evoke.coded.v1 → PostgreSQL",
          demoSecret === undefined
            ? `  API keys    ${ingest.config.apiKeys.map((key) => key.name).join(", ")} (from INGEST_API_KEYS)`
            : `  API key     "${demoName}" (demo): Authorization: Bearer ${demoSecret}`,
        );
      }
      lines.push(`  Logs        ${join(root, "logs")}`, "", "Press Ctrl-C to stop.");
      console.log(lines.join("\n"));
      // Signal listeners do not keep Node's event loop alive; this timer does, until Ctrl-C.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      await aborted(signal);
      clearInterval(keepAlive);
    } finally {
      if (signal.aborted) console.log("\nEvoke: stopping…");
      // Services first: they may still be writing to Kafka and PostgreSQL.
      await Promise.all(services.map((service) => service.stop()));
      await infrastructure.release();
    }
    console.log("Evoke: stopped.");
  } finally {
    await releaseClaim();
  }
}
