/**
 * `pnpm infra <command>`, and `npm start` (through infra/bootstrap.mjs):
 *
 *   start    bring up Kafka and PostgreSQL (local unless configured), migrate, wait for Ctrl-C
 *   status   what local servers are running from EVOKE_DATA_DIR
 *   down     stop the local broker and embedded PostgreSQL, whoever started them
 *   fetch    download the broker jars from Maven Central (start does this when needed)
 *   migrate  apply database migrations to DATABASE_URL or the running embedded server
 */
import { mkdir } from "node:fs/promises";
import { ConfigError, type InfrastructureConfig, infrastructureConfig, loadConfig } from "@evoke/config";
import { migrateDatabase } from "@evoke/db";
import { aborted, shutdownSignal } from "@evoke/lifecycle";
import { InfraError, isInfraError } from "./errors.ts";
import { localBrokerStatus, stopLocalBroker } from "./kafka/broker.ts";
import { ensureBrokerJars } from "./kafka/jars.ts";
import { embeddedPostgresStatus, embeddedUrl, stopEmbeddedPostgres } from "./postgres/embedded.ts";
import type { Progress } from "./progress.ts";
import { claimSupervisor } from "./single-instance.ts";
import { type Infrastructure, localDirectories, provisionInfrastructure } from "./stack.ts";

const progress: Progress = {
  info: (line) => console.log(`  · ${line}`),
  warn: (line) => console.warn(`  ! ${line}`),
};

function seconds(ms: number | undefined): string {
  return ms === undefined ? "" : `${(ms / 1000).toFixed(1)} s`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The URL with its password masked, for URLs the user configured (theirs may be real). */
function maskPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "****";
  return parsed.toString();
}

function describe(infrastructure: Infrastructure): string[] {
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

async function start(config: InfrastructureConfig): Promise<void> {
  const { root } = localDirectories(config);
  await mkdir(root, { recursive: true });
  const signal = shutdownSignal();
  const releaseClaim = await claimSupervisor(root);
  try {
    console.log("Evoke: starting the infrastructure…");
    const infrastructure = await provisionInfrastructure(config, progress);
    try {
      if (!signal.aborted) {
        await migrateDatabase(infrastructure.postgres.url);
        console.log(
          ["", "Evoke infrastructure is up:", ...describe(infrastructure), "  Migrations  applied", ""].join("\n"),
        );
        console.log("The ingest, coding and aggregation services and the dashboard are not built yet.");
        console.log("Press Ctrl-C to stop.");
        // Signal listeners do not keep Node's event loop alive; this timer does, until Ctrl-C.
        const keepAlive = setInterval(() => undefined, 1 << 30);
        await aborted(signal);
        clearInterval(keepAlive);
      }
      console.log("\nEvoke: stopping…");
    } finally {
      await infrastructure.release();
    }
    console.log("Evoke: stopped.");
  } finally {
    await releaseClaim();
  }
}

async function status(config: InfrastructureConfig): Promise<void> {
  const dirs = localDirectories(config);
  const broker = await localBrokerStatus({ dir: dirs.kafka, ...config.kafka.local });
  const postgres = await embeddedPostgresStatus({ dir: dirs.postgres, port: config.postgres.embedded.port, progress });
  const users = (list: readonly number[]) => (list.length === 0 ? "no users" : `used by pid ${list.join(", ")}`);
  console.log(
    broker
      ? `Kafka broker       running, pid ${broker.pid}, 127.0.0.1:${broker.details.port}, ${users(broker.users)}`
      : "Kafka broker       not running",
  );
  console.log(
    postgres
      ? `Embedded Postgres  running, pid ${postgres.pid}, ${embeddedUrl(postgres.details.port)}, ${users(postgres.users)}`
      : "Embedded Postgres  not running",
  );
}

async function down(config: InfrastructureConfig): Promise<void> {
  const dirs = localDirectories(config);
  const [broker, postgres] = await Promise.all([
    stopLocalBroker({ dir: dirs.kafka, ...config.kafka.local }),
    stopEmbeddedPostgres({ dir: dirs.postgres, port: config.postgres.embedded.port, progress }),
  ]);
  console.log(broker ? "Kafka broker stopped." : "Kafka broker was not running.");
  console.log(postgres ? "Embedded PostgreSQL stopped." : "Embedded PostgreSQL was not running.");
}

async function fetchJars(): Promise<void> {
  const began = Date.now();
  const jars = await ensureBrokerJars();
  console.log(
    jars.fetched
      ? `Fetched Apache Kafka ${jars.kafkaVersion}: ${megabytes(jars.totalBytes)} of jars in ${seconds(Date.now() - began)} into ${jars.libDir}`
      : `Apache Kafka ${jars.kafkaVersion} jars already present (${megabytes(jars.totalBytes)}) in ${jars.libDir}`,
  );
}

async function migrate(config: InfrastructureConfig): Promise<void> {
  const configured = config.postgres.url?.reveal();
  let url = configured;
  if (url === undefined) {
    const running = await embeddedPostgresStatus({
      dir: localDirectories(config).postgres,
      port: config.postgres.embedded.port,
      progress,
    });
    if (running === undefined) {
      throw new InfraError(
        "The embedded PostgreSQL is not running and DATABASE_URL is not set.",
        "Start it with npm start (which also migrates), or set DATABASE_URL.",
      );
    }
    url = embeddedUrl(running.details.port);
  }
  await migrateDatabase(url);
  console.log("Migrations applied.");
}

const COMMANDS: Record<string, (config: InfrastructureConfig) => Promise<void>> = {
  start,
  status,
  down,
  fetch: fetchJars,
  migrate,
};

async function main(): Promise<void> {
  const command = process.argv[2] ?? "start";
  const run = COMMANDS[command];
  if (run === undefined) {
    console.error(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(", ")}.`);
    process.exitCode = 2;
    return;
  }
  try {
    await run(loadConfig(infrastructureConfig));
  } catch (error) {
    if (isInfraError(error)) {
      console.error(`\n✖ ${error.message}\n  ${error.hint.replaceAll("\n", "\n  ")}`);
    } else if (error instanceof ConfigError) {
      console.error(`\n✖ ${error.message}\n  Fix the variable(s) above; README.md#configuration lists them all.`);
    } else {
      throw error;
    }
    process.exitCode = 1;
  }
}

await main();
