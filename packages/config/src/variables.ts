import { z } from "zod";
import { Secret } from "./secret.ts";

/*
 * Building blocks for service schemas. Each takes the raw environment string, so defaults are
 * written as the user would type them and show up as such in the generated docs. Messages say
 * what is expected and echo what was given, except for secrets.
 */

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function withDefault(defaultValue: string | undefined) {
  return defaultValue === undefined ? z.string() : z.string().default(defaultValue);
}

/** A TCP port, 1-65535. */
export function port(description: string, defaultValue: number) {
  return withDefault(String(defaultValue))
    .transform((raw, ctx) => {
      const value = Number(raw);
      if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
        ctx.addIssue({
          code: "custom",
          message: `must be a port number between 1 and 65535 (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    })
    .describe(description);
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

/** Kafka bootstrap servers, `host:port[,host:port...]`; unset means "use the local broker". */
export function brokerList(description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      const brokers = raw
        .split(",")
        .map((broker) => broker.trim())
        .filter((broker) => broker !== "");
      const invalid = brokers.filter((broker) => !HOST_PORT.test(broker));
      if (brokers.length === 0 || invalid.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `must be a comma-separated list of host:port, e.g. 127.0.0.1:9092 (got "${raw}")`,
        });
        return z.NEVER;
      }
      return brokers;
    })
    .optional()
    .describe(description);
}

/** A PostgreSQL connection URL. It may hold a password, so it is never echoed back. */
export function postgresUrl(description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        url = undefined;
      }
      if (url === undefined || !["postgres:", "postgresql:"].includes(url.protocol)) {
        ctx.addIssue({
          code: "custom",
          message: "must be a URL of the form postgres://user:password@host:port/database",
        });
        return z.NEVER;
      }
      return new Secret(raw);
    })
    .optional()
    .describe(description);
}

export function logLevel(description: string, defaultValue: LogLevel = "info") {
  return z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default(defaultValue)
    .describe(description);
}

/** A filesystem path. Without a default it is optional. */
export function path(description: string): z.ZodOptional<z.ZodString>;
export function path(description: string, defaultValue: string): z.ZodDefault<z.ZodString>;
export function path(description: string, defaultValue?: string) {
  return defaultValue === undefined
    ? z.string().optional().describe(description)
    : z.string().default(defaultValue).describe(description);
}
