import { join } from "node:path";
import type { InfrastructureConfig } from "@evoke/config";
import { DatabaseSslError, ensureDatabase, pingDatabase } from "@evoke/db";
import { KafkaAccessError, type KafkaSecurity, waitForBroker } from "@evoke/kafka";
import { InfraError, reason } from "./errors.ts";
import { startLocalBroker } from "./kafka/broker.ts";
import type { LeaseOutcome } from "./lease.ts";
import { resolveFromRoot } from "./paths.ts";
import { startEmbeddedPostgres } from "./postgres/embedded.ts";
import type { Progress } from "./progress.ts";

/** Where a service came from: configured by the user, or run locally by Evoke. */
export type Origin = { readonly kind: "configured" } | { readonly kind: "local"; readonly outcome: LeaseOutcome };

export interface KafkaEndpoint {
  readonly brokers: readonly string[];
  /** TLS/SASL for configured brokers (KAFKA_SSL*, KAFKA_SASL*); the local broker needs none. */
  readonly security?: KafkaSecurity;
  readonly origin: Origin;
  /** Launch-to-ready time of a broker started by this call. */
  readonly startMs?: number;
  readonly version?: string;
  /** Broker jar bytes downloaded by this call (first start on a machine). */
  readonly fetchedBytes?: number;
}

export interface PostgresEndpoint {
  readonly url: string;
  readonly origin: Origin;
  readonly startMs?: number;
  readonly version?: string;
}

export interface Infrastructure {
  readonly kafka: KafkaEndpoint;
  readonly postgres: PostgresEndpoint;
  /** Leaves the local servers, stopping those no other Evoke process still uses. */
  release(): Promise<void>;
}

export function localDirectories(config: InfrastructureConfig) {
  const root = resolveFromRoot(config.dataDir);
  return { root, kafka: join(root, "kafka"), postgres: join(root, "postgres") };
}

async function provideKafka(config: InfrastructureConfig, progress: Progress) {
  const configured = config.kafka.brokers;
  if (configured !== undefined) {
    try {
      await waitForBroker(configured, { timeoutMs: 10_000, security: config.kafka.security });
    } catch (error) {
      if (error instanceof KafkaAccessError) {
        throw new InfraError(
          error.message,
          "Check the KAFKA_SSL* and KAFKA_SASL* variables against the broker's listener.",
          {
            cause: error,
          },
        );
      }
      throw new InfraError(
        `Kafka at KAFKA_BROKERS=${configured.join(",")} did not answer: ${reason(error)}.`,
        "Check that the broker runs and the address is right, or unset KAFKA_BROKERS to run Evoke's local broker.",
        { cause: error },
      );
    }
    return {
      endpoint: {
        brokers: configured,
        security: config.kafka.security,
        origin: { kind: "configured" },
      } as KafkaEndpoint,
      release: async () => undefined,
    };
  }
  const broker = await startLocalBroker({ dir: localDirectories(config).kafka, ...config.kafka.local });
  const { outcome, state } = broker.lease;
  if (outcome !== "started")
    progress.info(
      `${outcome === "reused" ? "sharing" : "adopting"} the local Kafka broker already running (pid ${state.pid})`,
    );
  const endpoint: KafkaEndpoint = {
    brokers: broker.brokers,
    origin: { kind: "local", outcome },
    version: state.details.kafkaVersion,
    ...(outcome === "started" ? { startMs: state.details.startMs, fetchedBytes: state.details.fetchedBytes } : {}),
  };
  return { endpoint, release: () => broker.lease.release() };
}

/** What to check when PostgreSQL's TLS fails (the one-line reason comes from @evoke/db). */
export const POSTGRES_TLS_HINT =
  "Check DATABASE_URL's sslmode and DATABASE_SSL_CA_FILE (README.md, Security → PostgreSQL).";

async function providePostgres(config: InfrastructureConfig, progress: Progress) {
  const configured = config.postgres.url?.reveal();
  if (configured !== undefined) {
    try {
      await ensureDatabase(configured);
      await pingDatabase(configured);
    } catch (error) {
      if (error instanceof DatabaseSslError) {
        throw new InfraError(`PostgreSQL at DATABASE_URL: ${error.message}.`, POSTGRES_TLS_HINT, { cause: error });
      }
      throw new InfraError(
        `PostgreSQL at DATABASE_URL did not answer: ${reason(error)}.`,
        "Check that the server runs and the URL's host, port, user, password and database are right, or unset DATABASE_URL to run Evoke's embedded PostgreSQL.",
        { cause: error },
      );
    }
    return {
      endpoint: { url: configured, origin: { kind: "configured" } } as PostgresEndpoint,
      release: async () => undefined,
    };
  }
  const server = await startEmbeddedPostgres({
    dir: localDirectories(config).postgres,
    port: config.postgres.embedded.port,
    progress,
  });
  const { outcome, state } = server.lease;
  try {
    await ensureDatabase(server.url);
  } catch (error) {
    await server.lease.release();
    throw error;
  }
  if (outcome !== "started")
    progress.info(
      `${outcome === "reused" ? "sharing" : "adopting"} the embedded PostgreSQL already running (pid ${state.pid})`,
    );
  const endpoint: PostgresEndpoint = {
    url: server.url,
    origin: { kind: "local", outcome },
    version: state.details.version,
    ...(outcome === "started" ? { startMs: state.details.startMs } : {}),
  };
  return { endpoint, release: () => server.lease.release() };
}

/**
 * Brings up what Evoke needs, in parallel: the configured servers when KAFKA_BROKERS /
 * DATABASE_URL are set (checked to answer), else the local broker and embedded PostgreSQL.
 * If one side fails, the other is released before the error is rethrown.
 */
export async function provisionInfrastructure(
  config: InfrastructureConfig,
  progress: Progress,
): Promise<Infrastructure> {
  const [kafka, postgres] = await Promise.allSettled([
    provideKafka(config, progress),
    providePostgres(config, progress),
  ]);
  if (kafka.status === "rejected" || postgres.status === "rejected") {
    await Promise.all(
      [kafka, postgres].map((side) => (side.status === "fulfilled" ? side.value.release() : undefined)),
    );
    throw kafka.status === "rejected" ? kafka.reason : (postgres as PromiseRejectedResult).reason;
  }
  return {
    kafka: kafka.value.endpoint,
    postgres: postgres.value.endpoint,
    release: async () => {
      await Promise.all([kafka.value.release(), postgres.value.release()]);
    },
  };
}
