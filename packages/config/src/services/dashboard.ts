import { z } from "zod";
import { kafkaSecurity, kafkaSecurityIssues, kafkaSecurityVariables } from "../kafka-security.ts";
import { defineConfig } from "../load.ts";
import { oidcConfig, oidcIssues, oidcVariables } from "../oidc.ts";
import { postgresSslVariables, withPostgresSslFiles } from "../postgres-ssl.ts";
import { Secret } from "../secret.ts";
import { brokerList, dashboardTokens, host, integer, logLevel, port, requiredPostgresUrl } from "../variables.ts";

/** dashboard: the server-rendered dashboard and its JSON API. */
export const dashboardConfig = defineConfig(
  "dashboard",
  {
    DASHBOARD_PORT: port("Dashboard: port.", 3000),
    DASHBOARD_HOST: host("Dashboard: address to listen on (0.0.0.0 to accept other machines).", "127.0.0.1"),
    DASHBOARD_TOKENS: dashboardTokens(
      "Dashboard tokens as name:secret:role[:programmeId|programmeId...], comma-separated; roles director, analyst, engineer; secrets of 16+ characters. npm start makes demo director, analyst and engineer tokens when unset (infra/.data/demo-dashboard-tokens).",
    ),
    SESSION_IDLE_MINUTES: integer("Dashboard: a browser session ends after this many minutes without a request.", 30),
    SESSION_ABSOLUTE_HOURS: integer(
      "Dashboard: a browser session ends this many hours after signing in, however active.",
      12,
    ),
    ...oidcVariables,
    DASHBOARD_CACHE_SECONDS: integer(
      "Dashboard: seconds an analytics answer is reused for the same question and reader (0: never).",
      30,
      0,
    ),
    DATABASE_URL: requiredPostgresUrl(
      "PostgreSQL (postgres://user:password@host:port/database; add ?sslmode=verify-full, verify-ca or require for TLS).",
    ),
    ...postgresSslVariables,
    KAFKA_BROKERS: brokerList(
      "Kafka brokers, for the pipeline health page (consumer lag, dead letters); unset: that page says so.",
    ),
    ...kafkaSecurityVariables,
    DASHBOARD_INGEST_URL: z
      .string()
      .refine((raw) => /^https?:\/\/[^\s]+$/.test(raw), { error: "must be an http(s) URL" })
      .optional()
      .describe(
        "Dashboard: the ingest API the Import page sends CSV files to (e.g. http://127.0.0.1:8080); npm start sets it. Unset: the page says import is not set up.",
      ),
    DASHBOARD_INGEST_KEY: z
      .string()
      .transform((raw) => new Secret(raw))
      .optional()
      .describe(
        "Dashboard: the ingest API key secret the Import page sends with (never logged); needs DASHBOARD_INGEST_URL.",
      ),
    LOG_LEVEL: logLevel("Log level: trace, debug, info, warn, error, fatal or silent."),
  },
  (env) => ({
    http: { port: env.DASHBOARD_PORT, host: env.DASHBOARD_HOST },
    tokens: env.DASHBOARD_TOKENS,
    sessions: { idleSeconds: env.SESSION_IDLE_MINUTES * 60, absoluteSeconds: env.SESSION_ABSOLUTE_HOURS * 3600 },
    oidc: oidcConfig(env),
    cacheSeconds: env.DASHBOARD_CACHE_SECONDS,
    databaseUrl: withPostgresSslFiles(env.DATABASE_URL, env),
    kafka: env.KAFKA_BROKERS === undefined ? null : { brokers: env.KAFKA_BROKERS, security: kafkaSecurity(env) },
    ingest:
      env.DASHBOARD_INGEST_URL === undefined || env.DASHBOARD_INGEST_KEY === undefined
        ? null
        : { url: env.DASHBOARD_INGEST_URL.replace(/\/+$/, ""), apiKey: env.DASHBOARD_INGEST_KEY },
    logLevel: env.LOG_LEVEL,
  }),
  (env) => [
    ...kafkaSecurityIssues(env),
    ...oidcIssues(env),
    ...((env.DASHBOARD_INGEST_URL === undefined) !== (env.DASHBOARD_INGEST_KEY === undefined)
      ? [{ variable: "DASHBOARD_INGEST_KEY", message: "must be set together with DASHBOARD_INGEST_URL" }]
      : []),
  ],
);

export type DashboardConfig = ReturnType<typeof dashboardConfig.build>;
