import { fhirConfig, fhirVariables } from "../fhir.ts";
import { kafkaSecurity, kafkaSecurityIssues, kafkaSecurityVariables } from "../kafka-security.ts";
import { defineConfig } from "../load.ts";
import { apiKeys, host, integer, logLevel, port, requiredBrokerList } from "../variables.ts";

/** services/ingest: the authenticated CloudEvents intake API. */
export const ingestConfig = defineConfig(
  "ingest",
  {
    INGEST_PORT: port("Ingest API: port.", 8080),
    INGEST_HOST: host("Ingest API: address to listen on (0.0.0.0 to accept other machines).", "127.0.0.1"),
    INGEST_API_KEYS: apiKeys(
      "Ingest API keys as name:secret, comma-separated; secrets of 16+ characters. npm start makes a demo key when unset.",
    ),
    INGEST_MAX_BODY_BYTES: integer(
      "Ingest API: largest request body, in bytes (NDJSON streams are unlimited).",
      5_242_880,
    ),
    INGEST_RATE_LIMIT: integer("Ingest API: events per second allowed per API key (0: no limit).", 50_000, 0),
    KAFKA_BROKERS: requiredBrokerList("Kafka brokers (host:port, comma-separated)."),
    ...kafkaSecurityVariables,
    ...fhirVariables,
    LOG_LEVEL: logLevel("Log level: trace, debug, info, warn, error, fatal or silent."),
  },
  (env) => ({
    http: { port: env.INGEST_PORT, host: env.INGEST_HOST, maxBodyBytes: env.INGEST_MAX_BODY_BYTES },
    apiKeys: env.INGEST_API_KEYS,
    rateLimitPerSecond: env.INGEST_RATE_LIMIT,
    kafka: { brokers: env.KAFKA_BROKERS, security: kafkaSecurity(env) },
    fhir: fhirConfig(env),
    logLevel: env.LOG_LEVEL,
  }),
  kafkaSecurityIssues,
);

export type IngestConfig = ReturnType<typeof ingestConfig.build>;
