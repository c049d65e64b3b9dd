import { kafkaSecurity, kafkaSecurityIssues, kafkaSecurityVariables } from "../kafka-security.ts";
import { defineConfig } from "../load.ts";
import { postgresSslVariables, withPostgresSslFiles } from "../postgres-ssl.ts";
import { host, integer, logLevel, port, requiredBrokerList, requiredPostgresUrl } from "../variables.ts";

/** services/aggregation: projects Kafka into PostgreSQL. */
export const aggregationConfig = defineConfig(
  "aggregation",
  {
    KAFKA_BROKERS: requiredBrokerList("Kafka brokers (host:port, comma-separated)."),
    ...kafkaSecurityVariables,
    DATABASE_URL: requiredPostgresUrl(
      "PostgreSQL (postgres://user:password@host:port/database; add ?sslmode=verify-full, verify-ca or require for TLS).",
    ),
    ...postgresSslVariables,
    AGGREGATION_PORT: port("Aggregation service: health endpoint port (/healthz, /readyz).", 8082),
    AGGREGATION_HOST: host("Aggregation service: address of the health endpoint.", "127.0.0.1"),
    TRANSCRIPT_RETENTION_DAYS: integer(
      "Days transcript text is kept (it is health data); codes and summaries are kept for good.",
      90,
    ),
    AUDIT_RETENTION_DAYS: integer(
      "Days the dashboard's access audit trail is kept (default about 6 years, HIPAA's documentation period); purged daily, 30 at least.",
      2192,
      30,
    ),
    LOG_LEVEL: logLevel("Log level: trace, debug, info, warn, error, fatal or silent."),
  },
  (env) => ({
    kafka: { brokers: env.KAFKA_BROKERS, security: kafkaSecurity(env) },
    databaseUrl: withPostgresSslFiles(env.DATABASE_URL, env),
    http: { port: env.AGGREGATION_PORT, host: env.AGGREGATION_HOST },
    transcriptRetentionDays: env.TRANSCRIPT_RETENTION_DAYS,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    logLevel: env.LOG_LEVEL,
  }),
  kafkaSecurityIssues,
);

export type AggregationConfig = ReturnType<typeof aggregationConfig.build>;
