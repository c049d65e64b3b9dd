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

function parseBrokers() {
  return z.string().transform((raw, ctx) => {
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
  });
}

/** Kafka bootstrap servers a service must have, `host:port[,host:port...]`. */
export function requiredBrokerList(description: string) {
  return parseBrokers().describe(description);
}

/** Kafka bootstrap servers, `host:port[,host:port...]`; unset means "use the local broker". */
export function brokerList(description: string) {
  return parseBrokers().optional().describe(description);
}

const FLAG_VALUES: Readonly<Record<string, boolean>> = {
  "1": true,
  true: true,
  yes: true,
  on: true,
  "0": false,
  false: false,
  no: false,
  off: false,
};

/** On or off: 1/0, true/false, yes/no or on/off. */
export function flag(description: string, defaultValue: boolean) {
  return withDefault(defaultValue ? "1" : "0")
    .transform((raw, ctx) => {
      const value = FLAG_VALUES[raw.toLowerCase()];
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message: `must be 1 or 0 (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    })
    .describe(description);
}

/** On or off like `flag`, but with no default: unset stays undefined (the caller decides). */
export function optionalFlag(description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      const value = FLAG_VALUES[raw.toLowerCase()];
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message: `must be 1 or 0 (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    })
    .optional()
    .describe(description);
}

/** A whole number from `min` up, such as a byte limit or a count. */
export function integer(description: string, defaultValue: number, min = 1) {
  return withDefault(String(defaultValue))
    .transform((raw, ctx) => {
      const value = Number(raw);
      if (!/^\d+$/.test(raw) || value < min) {
        ctx.addIssue({ code: "custom", message: `must be a whole number of at least ${min} (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    })
    .describe(description);
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date, YYYY-MM-DD, read as midnight UTC. Year 0001 at the earliest: PostgreSQL's
 * timestamps have no year 0.
 */
export function calendarDate(description: string, defaultValue: string) {
  return withDefault(defaultValue)
    .transform((raw, ctx) => {
      const match = CALENDAR_DATE.exec(raw);
      const value = new Date(`${raw}T00:00:00Z`);
      // The round trip catches dates that do not exist (2026-02-30 would roll into March).
      if (match === null || Number.isNaN(value.getTime()) || value.toISOString().slice(0, 10) !== raw) {
        ctx.addIssue({ code: "custom", message: `must be a date as YYYY-MM-DD, e.g. 2000-01-01 (got "${raw}")` });
        return z.NEVER;
      }
      if (match[1] === "0000") {
        ctx.addIssue({ code: "custom", message: `must be 0001-01-01 or later: there is no year 0 (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    })
    .describe(description);
}

export interface ApiKey {
  /** Shown in logs and metrics. */
  readonly name: string;
  readonly secret: Secret;
}

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MIN_SECRET_LENGTH = 16;

/**
 * API keys as `name:secret[,name:secret...]`. Errors say which entry is wrong and why, by
 * position and name, never showing a secret.
 */
export function apiKeys(description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      const keys: ApiKey[] = [];
      const entries = raw
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      entries.forEach((entry, index) => {
        const separator = entry.indexOf(":");
        const name = separator === -1 ? "" : entry.slice(0, separator);
        const secret = separator === -1 ? "" : entry.slice(separator + 1);
        if (!KEY_NAME.test(name)) {
          ctx.addIssue({
            code: "custom",
            message: `entry ${index + 1} must be name:secret, the name made of letters, digits, '.', '_' or '-'`,
          });
        } else if (secret.length < MIN_SECRET_LENGTH) {
          ctx.addIssue({
            code: "custom",
            message: `the secret of key "${name}" must be at least ${MIN_SECRET_LENGTH} characters`,
          });
        } else if (keys.some((key) => key.name === name)) {
          ctx.addIssue({ code: "custom", message: `key name "${name}" appears twice` });
        } else {
          keys.push({ name, secret: new Secret(secret) });
        }
      });
      if (entries.length === 0) ctx.addIssue({ code: "custom", message: "must name at least one key, as name:secret" });
      return keys;
    })
    .describe(description);
}

export const DASHBOARD_ROLES = ["director", "analyst", "engineer"] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

export interface DashboardToken {
  /** Shown in logs and on the page ("signed in as"). */
  readonly name: string;
  readonly secret: Secret;
  readonly role: DashboardRole;
  /** The programmes the token may see; null: every programme. */
  readonly programmeIds: readonly string[] | null;
}

const PROGRAMME_ID = /^[A-Za-z0-9_.~-]{1,128}$/;

/**
 * Dashboard tokens as `name:secret:role[:programmeId|programmeId...]`, comma-separated. Errors
 * name the entry by position and name, never showing a secret.
 */
export function dashboardTokens(description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      const tokens: DashboardToken[] = [];
      const entries = raw
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      entries.forEach((entry, index) => {
        const [name = "", secret = "", role = "", programmes, ...rest] = entry.split(":");
        const fail = (message: string) => ctx.addIssue({ code: "custom", message });
        if (!KEY_NAME.test(name) || rest.length > 0) {
          fail(
            `entry ${index + 1} must be name:secret:role[:programmeId|programmeId...], the name made of letters, digits, '.', '_' or '-'`,
          );
        } else if (secret.length < MIN_SECRET_LENGTH) {
          fail(`the secret of token "${name}" must be at least ${MIN_SECRET_LENGTH} characters`);
        } else if (!(DASHBOARD_ROLES as readonly string[]).includes(role)) {
          fail(`the role of token "${name}" must be one of ${DASHBOARD_ROLES.join(", ")} (got "${role}")`);
        } else if (programmes !== undefined && !programmes.split("|").every((id) => PROGRAMME_ID.test(id))) {
          fail(`the programmes of token "${name}" must be programme ids separated by '|' (got "${programmes}")`);
        } else if (tokens.some((token) => token.name === name)) {
          fail(`token name "${name}" appears twice`);
        } else {
          tokens.push({
            name,
            secret: new Secret(secret),
            role: role as DashboardRole,
            programmeIds: programmes === undefined ? null : programmes.split("|"),
          });
        }
      });
      if (entries.length === 0)
        ctx.addIssue({ code: "custom", message: "must name at least one token, as name:secret:role" });
      return tokens;
    })
    .describe(description);
}

const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"];

function parsePostgresUrl() {
  return z.string().transform((raw, ctx) => {
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
    // Checked again where connections are made (packages/db/src/ssl.ts); here to fail at start.
    if (url.searchParams.has("ssl")) {
      ctx.addIssue({ code: "custom", message: "say sslmode=require, verify-ca or verify-full rather than ssl=..." });
      return z.NEVER;
    }
    const sslmode = url.searchParams.get("sslmode");
    if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
      ctx.addIssue({ code: "custom", message: `sslmode must be one of ${SSL_MODES.join(", ")} (got "${sslmode}")` });
      return z.NEVER;
    }
    return new Secret(raw);
  });
}

/** A PostgreSQL URL a service must have (npm start passes the embedded server's). */
export function requiredPostgresUrl(description: string) {
  return parsePostgresUrl().describe(description);
}

/** A PostgreSQL connection URL. It may hold a password, so it is never echoed back. */
export function postgresUrl(description: string) {
  return parsePostgresUrl().optional().describe(description);
}

export function logLevel(description: string, defaultValue: LogLevel = "info") {
  return z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default(defaultValue)
    .describe(description);
}

/** An address to listen on. */
export function host(description: string, defaultValue: string) {
  return z.string().default(defaultValue).describe(description);
}

/** A filesystem path. Without a default it is optional. */
export function path(description: string): z.ZodOptional<z.ZodString>;
export function path(description: string, defaultValue: string): z.ZodDefault<z.ZodString>;
export function path(description: string, defaultValue?: string) {
  return defaultValue === undefined
    ? z.string().optional().describe(description)
    : z.string().default(defaultValue).describe(description);
}
