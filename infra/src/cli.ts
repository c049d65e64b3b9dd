/**
 * `pnpm infra <command>`, and `npm start` (through infra/bootstrap.mjs):
 *
 *   start    Kafka and PostgreSQL (local unless configured), migrations, topics, the services
 *            and the dashboard, the demo clinic into an empty database; wait for Ctrl-C
 *   up       the same without the services (run those from an editor or debugger)
 *   topics   create Evoke's Kafka topics on KAFKA_BROKERS or the running local broker
 *   status   what local servers are running from EVOKE_DATA_DIR
 *   down     stop the local broker and embedded PostgreSQL, whoever started them
 *   fetch    download the broker jars from Maven Central (start does this when needed)
 *   migrate  apply database migrations to DATABASE_URL or the running embedded server
 */
import { ConfigError, type InfrastructureConfig, infrastructureConfig, loadConfig } from "@evoke/config";
import { DatabaseSslError, migrateDatabase } from "@evoke/db";
import { InfraError, isInfraError } from "./errors.ts";
import { megabytes, seconds } from "./format.ts";
import { localBrokerStatus, stopLocalBroker } from "./kafka/broker.ts";
import { ensureBrokerJars } from "./kafka/jars.ts";
import { embeddedPostgresStatus, embeddedUrl, stopEmbeddedPostgres } from "./postgres/embedded.ts";
import type { Progress } from "./progress.ts";
import { localDirectories, POSTGRES_TLS_HINT } from "./stack.ts";
import { runSupervisor } from "./supervisor.ts";
import { setUpTopics } from "./topics.ts";

const progress: Progress = {
  info: (line) => console.log(`  · ${line}`),
  warn: (line) => console.warn(`  ! ${line}`),
};

/** `npm start -- --no-demo`: the same as EVOKE_DEMO=0. */
function start(config: InfrastructureConfig, args: readonly string[]): Promise<void> {
  const unknown = args.filter((arg) => arg !== "--no-demo");
  if (unknown.length > 0)
    throw new InfraError(
      `Unknown option ${unknown.join(" ")} for npm start.`,
      "The one option is --no-demo: npm start -- --no-demo.",
    );
  const demoData = config.demoData && !args.includes("--no-demo");
  return runSupervisor({ ...config, demoData }, process.env, progress);
}

function up(config: InfrastructureConfig): Promise<void> {
  return runSupervisor(config, process.env, progress, { services: false });
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
  // Said only when outside EVOKE_DATA_DIR (as root, when the postgres user cannot enter it).
  const dataDir = postgres?.details.dataDir;
  const elsewhere = dataDir !== undefined && !dataDir.startsWith(dirs.postgres) ? `, data in ${dataDir}` : "";
  console.log(
    postgres
      ? `Embedded Postgres  running, pid ${postgres.pid}, ${embeddedUrl(postgres.details.port)}, ${users(postgres.users)}${elsewhere}`
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

async function topics(config: InfrastructureConfig): Promise<void> {
  let brokers = config.kafka.brokers;
  if (brokers === undefined) {
    const running = await localBrokerStatus({ dir: localDirectories(config).kafka, ...config.kafka.local });
    if (running === undefined) {
      throw new InfraError(
        "The local Kafka broker is not running and KAFKA_BROKERS is not set.",
        "Start it with npm start (which also creates the topics), or set KAFKA_BROKERS.",
      );
    }
    brokers = [`127.0.0.1:${running.details.port}`];
  }
  const created = await setUpTopics(brokers, config.kafka.topics, config.kafka.security);
  console.log(created.length > 0 ? `Created ${created.join(", ")}.` : "Evoke's topics already exist.");
}

const COMMANDS: Record<string, (config: InfrastructureConfig, args: readonly string[]) => Promise<void>> = {
  start,
  up,
  topics,
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
    await run(loadConfig(infrastructureConfig), process.argv.slice(3));
  } catch (error) {
    if (isInfraError(error)) {
      console.error(`\n✖ ${error.message}\n  ${error.hint.replaceAll("\n", "\n  ")}`);
    } else if (error instanceof ConfigError) {
      console.error(`\n✖ ${error.message}\n  Fix the variable(s) above; README.md#configuration lists them all.`);
    } else if (error instanceof DatabaseSslError) {
      console.error(`\n✖ ${error.message}\n  ${POSTGRES_TLS_HINT}`);
    } else {
      throw error;
    }
    process.exitCode = 1;
  }
}

await main();
