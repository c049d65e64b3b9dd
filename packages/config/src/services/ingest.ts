import type { z } from "zod";
import { fhirConfig, fhirVariables } from "../fhir.ts";
import { kafkaSecurity, kafkaSecurityIssues, kafkaSecurityVariables } from "../kafka-security.ts";
import { defineConfig } from "../load.ts";
import { apiKeys, calendarDate, host, integer, logLevel, port, requiredBrokerList } from "../variables.ts";

const timeLimitVariables = {
  // The event contract's time limits (packages/events/src/time-limits.ts): an event whose
  // times fall outside them is refused with a 400, so a 202 always means it will be recorded.
  INGEST_MAX_FUTURE_SKEW_HOURS: integer(
    "Ingest API: refuse an event whose times of things that happened lie more than this many hours after it is received.",
    24,
  ),
  INGEST_MAX_SCHEDULE_AHEAD_DAYS: integer(
    "Ingest API: refuse a booking (evoke.session.scheduled scheduledAt) more than this many days after it is received.",
    730,
  ),
  INGEST_EARLIEST_DATE: calendarDate(
    "Ingest API: refuse an event with any time before this date (YYYY-MM-DD, UTC); lower it to backfill older history.",
    "2000-01-01",
  ),
};

function timeLimitsOf(env: z.output<z.ZodObject<typeof timeLimitVariables>>) {
  return {
    maxFutureSkewHours: env.INGEST_MAX_FUTURE_SKEW_HOURS,
    maxScheduleAheadDays: env.INGEST_MAX_SCHEDULE_AHEAD_DAYS,
    earliest: env.INGEST_EARLIEST_DATE,
  };
}

/**
 * Ingest's time limits alone (not in the config table: they are ingest's rows there), for
 * `pnpm mi import`, which checks a file against what ingest will accept before sending it.
 */
export const eventTimeLimitsConfig = defineConfig("ingest time limits", timeLimitVariables, timeLimitsOf);

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
    ...timeLimitVariables,
    KAFKA_BROKERS: requiredBrokerList("Kafka brokers (host:port, comma-separated)."),
    ...kafkaSecurityVariables,
    ...fhirVariables,
    LOG_LEVEL: logLevel("Log level: trace, debug, info, warn, error, fatal or silent."),
  },
  (env) => ({
    http: { port: env.INGEST_PORT, host: env.INGEST_HOST, maxBodyBytes: env.INGEST_MAX_BODY_BYTES },
    apiKeys: env.INGEST_API_KEYS,
    rateLimitPerSecond: env.INGEST_RATE_LIMIT,
    timeLimits: timeLimitsOf(env),
    kafka: { brokers: env.KAFKA_BROKERS, security: kafkaSecurity(env) },
    fhir: fhirConfig(env),
    logLevel: env.LOG_LEVEL,
  }),
  kafkaSecurityIssues,
);

export type IngestConfig = ReturnType<typeof ingestConfig.build>;
