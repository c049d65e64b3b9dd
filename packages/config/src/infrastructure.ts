import { kafkaSecurity, kafkaSecurityIssues, kafkaSecurityVariables } from "./kafka-security.ts";
import { type ConfigIssue, defineConfig } from "./load.ts";
import { postgresSslVariables, withPostgresSslFiles } from "./postgres-ssl.ts";
import { brokerList, flag, integer, logLevel, path, port, postgresUrl } from "./variables.ts";

/**
 * Where Kafka and PostgreSQL come from, for `npm start`, `pnpm infra` and the test harness.
 * Given `KAFKA_BROKERS` / `DATABASE_URL`, Evoke uses those servers; otherwise it runs a local
 * broker and an embedded Postgres of its own.
 */
export const infrastructureConfig = defineConfig(
  "infrastructure",
  {
    KAFKA_BROKERS: brokerList("Existing Kafka brokers (host:port, comma-separated). Unset: run the local broker."),
    ...kafkaSecurityVariables,
    KAFKA_PORT: port("Local broker: client port.", 9092),
    KAFKA_CONTROLLER_PORT: port("Local broker: KRaft controller port.", 9093),
    JAVA_HOME: path("Local broker: the JDK (17+) to run it with. Unset: `java` on the PATH."),
    KAFKA_TOPIC_PARTITIONS: integer("Partitions of each Evoke topic, when the setup step creates it.", 6),
    KAFKA_REPLICATION_FACTOR: integer("Replicas of each Evoke topic (1 for a single broker; 3 in production).", 1),
    KAFKA_RETENTION_HOURS: integer("How long Kafka keeps Evoke's messages (they include transcripts), in hours.", 168),
    DATABASE_URL: postgresUrl(
      "Existing PostgreSQL server (postgres://user:password@host:port/database; add ?sslmode=verify-full, verify-ca or require for TLS). Unset: run the embedded server.",
    ),
    ...postgresSslVariables,
    EMBEDDED_POSTGRES_PORT: port("Embedded PostgreSQL: port.", 54329),
    EVOKE_DATA_DIR: path(
      "Where the local broker and embedded Postgres keep data, logs and pid files (relative to the repository root).",
      "infra/.data",
    ),
    LOG_LEVEL: logLevel("Log level: trace, debug, info, warn, error, fatal or silent."),
    EVOKE_DEMO: flag(
      "npm start: 1 sends a demo clinic's events (about 5,000) through ingest when the database holds no events yet and INGEST_API_KEYS is unset; 0 never does.",
      true,
    ),
  },
  (env) => ({
    kafka: {
      brokers: env.KAFKA_BROKERS,
      security: kafkaSecurity(env),
      local: { port: env.KAFKA_PORT, controllerPort: env.KAFKA_CONTROLLER_PORT, javaHome: env.JAVA_HOME },
      topics: {
        partitions: env.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: env.KAFKA_REPLICATION_FACTOR,
        retentionHours: env.KAFKA_RETENTION_HOURS,
      },
    },
    postgres: {
      url: env.DATABASE_URL === undefined ? undefined : withPostgresSslFiles(env.DATABASE_URL, env),
      embedded: { port: env.EMBEDDED_POSTGRES_PORT },
    },
    dataDir: env.EVOKE_DATA_DIR,
    logLevel: env.LOG_LEVEL,
    demoData: env.EVOKE_DEMO,
  }),
  (env): ConfigIssue[] => {
    const issues = kafkaSecurityIssues(env);
    const security = kafkaSecurity(env);
    // The local broker npm start runs listens in plain text only: security settings without
    // KAFKA_BROKERS would be sent to it (and inherited by the services) and fail there.
    if (env.KAFKA_BROKERS === undefined && (security.tls !== null || security.sasl !== null)) {
      issues.push({
        variable: security.sasl === null ? "KAFKA_SSL" : "KAFKA_SASL_USERNAME",
        message:
          "Kafka TLS/SASL settings apply to the brokers named by KAFKA_BROKERS; the local broker listens in plain text on 127.0.0.1 (set KAFKA_BROKERS, or unset the KAFKA_SSL*/KAFKA_SASL* variables)",
      });
    }
    return issues;
  },
);

export type InfrastructureConfig = ReturnType<typeof infrastructureConfig.build>;
