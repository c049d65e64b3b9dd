import { accessSync, constants } from "node:fs";
import { z } from "zod";
import type { ConfigIssue } from "./load.ts";
import { Secret } from "./secret.ts";
import { optionalFlag } from "./variables.ts";

/*
 * How every Kafka client of Evoke proves who it is and checks whom it talks to: TLS (the
 * broker's certificate checked against a CA file, optionally a client certificate for mTLS)
 * and SASL (SCRAM-SHA-512, or PLAIN, which sends the password itself and so only over TLS).
 * The same variables are read by every process that talks to Kafka.
 */

export const KAFKA_SASL_MECHANISMS = ["scram-sha-512", "plain"] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaTlsConfig {
  /** PEM file of the CA(s) the broker's certificate must chain to; unset: the system's CAs. */
  readonly caFile: string | undefined;
  /** PEM client certificate and key, for brokers that require mTLS. Both or neither. */
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
}

export interface KafkaSaslConfig {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: Secret;
}

/** Null members mean "off": plain TCP, no authentication (the local broker's default). */
export interface KafkaSecurityConfig {
  readonly tls: KafkaTlsConfig | null;
  readonly sasl: KafkaSaslConfig | null;
}

function pemFile(description: string) {
  return z.string().optional().describe(description);
}

/** The variables, to spread into each service's schema. */
export const kafkaSecurityVariables = {
  KAFKA_SSL: optionalFlag(
    "Kafka: 1 connects over TLS, checking the broker's certificate (against KAFKA_SSL_CA_FILE, else the system's CAs). Unset: on when any KAFKA_SSL_*_FILE is set.",
  ),
  KAFKA_SSL_CA_FILE: pemFile("Kafka TLS: PEM file of the CA that signed the brokers' certificates."),
  KAFKA_SSL_CERT_FILE: pemFile(
    "Kafka TLS: PEM client certificate, for brokers that require mTLS (with KAFKA_SSL_KEY_FILE).",
  ),
  KAFKA_SSL_KEY_FILE: pemFile("Kafka TLS: PEM private key of KAFKA_SSL_CERT_FILE (unencrypted)."),
  KAFKA_SASL_MECHANISM: z
    .enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(", ")}` })
    .optional()
    .describe("Kafka SASL: scram-sha-512, or plain (only over TLS). Default scram-sha-512 when a user is set."),
  KAFKA_SASL_USERNAME: z.string().optional().describe("Kafka SASL: the user this process authenticates as."),
  KAFKA_SASL_PASSWORD: z
    .string()
    .transform((raw) => new Secret(raw))
    .optional()
    .describe("Kafka SASL: the password of KAFKA_SASL_USERNAME (never logged)."),
};

type SecurityEnv = {
  readonly KAFKA_SSL?: boolean | undefined;
  readonly KAFKA_SSL_CA_FILE?: string | undefined;
  readonly KAFKA_SSL_CERT_FILE?: string | undefined;
  readonly KAFKA_SSL_KEY_FILE?: string | undefined;
  readonly KAFKA_SASL_MECHANISM?: KafkaSaslMechanism | undefined;
  readonly KAFKA_SASL_USERNAME?: string | undefined;
  readonly KAFKA_SASL_PASSWORD?: Secret | undefined;
};

function tlsWanted(env: SecurityEnv): boolean {
  const anyFile = [env.KAFKA_SSL_CA_FILE, env.KAFKA_SSL_CERT_FILE, env.KAFKA_SSL_KEY_FILE].some((file) => file);
  return env.KAFKA_SSL ?? anyFile;
}

/** What is wrong across the variables (each one alone already parsed). */
export function kafkaSecurityIssues(env: SecurityEnv): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const files = { KAFKA_SSL_CA_FILE: env.KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE: env.KAFKA_SSL_CERT_FILE };
  const withKey = { ...files, KAFKA_SSL_KEY_FILE: env.KAFKA_SSL_KEY_FILE };
  if (env.KAFKA_SSL === false && Object.values(withKey).some((file) => file)) {
    issues.push({
      variable: "KAFKA_SSL",
      message: "is 0, but KAFKA_SSL_*_FILE variables are set: remove one or the other",
    });
  }
  for (const [variable, file] of Object.entries(withKey)) {
    if (file === undefined) continue;
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      issues.push({ variable, message: `cannot read ${file} (${code})` });
    }
  }
  if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
    const missing = env.KAFKA_SSL_CERT_FILE === undefined ? "KAFKA_SSL_CERT_FILE" : "KAFKA_SSL_KEY_FILE";
    issues.push({
      variable: missing,
      message: "must be set too: a client certificate (KAFKA_SSL_CERT_FILE) needs its key (KAFKA_SSL_KEY_FILE)",
    });
  }
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password, KAFKA_SASL_MECHANISM: mechanism } = env;
  if (username !== undefined && password === undefined) {
    issues.push({ variable: "KAFKA_SASL_PASSWORD", message: "must be set when KAFKA_SASL_USERNAME is" });
  }
  if (password !== undefined && username === undefined) {
    issues.push({ variable: "KAFKA_SASL_USERNAME", message: "must be set when KAFKA_SASL_PASSWORD is" });
  }
  if (mechanism !== undefined && username === undefined && password === undefined) {
    issues.push({
      variable: "KAFKA_SASL_USERNAME",
      message: "must be set (with KAFKA_SASL_PASSWORD) when KAFKA_SASL_MECHANISM is",
    });
  }
  if (mechanism === "plain" && !tlsWanted(env)) {
    issues.push({
      variable: "KAFKA_SASL_MECHANISM",
      message:
        "plain sends the password as it is: it is refused without TLS (set KAFKA_SSL_CA_FILE or KAFKA_SSL=1, or use scram-sha-512)",
    });
  }
  return issues;
}

/** The typed settings, once `kafkaSecurityIssues` found nothing wrong. */
export function kafkaSecurity(env: SecurityEnv): KafkaSecurityConfig {
  const tls = tlsWanted(env)
    ? { caFile: env.KAFKA_SSL_CA_FILE, certFile: env.KAFKA_SSL_CERT_FILE, keyFile: env.KAFKA_SSL_KEY_FILE }
    : null;
  const sasl =
    env.KAFKA_SASL_USERNAME !== undefined && env.KAFKA_SASL_PASSWORD !== undefined
      ? {
          mechanism: env.KAFKA_SASL_MECHANISM ?? "scram-sha-512",
          username: env.KAFKA_SASL_USERNAME,
          password: env.KAFKA_SASL_PASSWORD,
        }
      : null;
  return { tls, sasl };
}
