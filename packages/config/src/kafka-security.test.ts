import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { infrastructureConfig } from "./infrastructure.ts";
import { ConfigError, loadConfig } from "./load.ts";
import { codingConfig } from "./services/coding.ts";
import { dashboardConfig } from "./services/dashboard.ts";

const dir = mkdtempSync(join(tmpdir(), "evoke-kafka-security-"));
const pem = (name: string) => {
  const file = join(dir, name);
  writeFileSync(file, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
  return file;
};
const CA = pem("ca.pem");
const CERT = pem("client.pem");
const KEY = pem("client.key");
const BROKERS = { KAFKA_BROKERS: "kafka:9093" };

function issuesOf(env: Record<string, string>, definition: typeof codingConfig = codingConfig): string[] {
  try {
    loadConfig(definition, { ...BROKERS, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.variable}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe("Kafka security variables", () => {
  it("are off when none is set: plain TCP, no SASL", () => {
    expect(loadConfig(codingConfig, BROKERS).kafka.security).toEqual({ tls: null, sasl: null });
  });

  it("turn TLS on with a CA file, and SASL SCRAM-SHA-512 by default with a user and password", () => {
    const { security } = loadConfig(codingConfig, {
      ...BROKERS,
      KAFKA_SSL_CA_FILE: CA,
      KAFKA_SASL_USERNAME: "evoke-coding",
      KAFKA_SASL_PASSWORD: "s3cret-pass",
    }).kafka;
    expect(security.tls).toEqual({ caFile: CA, certFile: undefined, keyFile: undefined });
    expect(security.sasl?.mechanism).toBe("scram-sha-512");
    expect(security.sasl?.username).toBe("evoke-coding");
    expect(security.sasl?.password.reveal()).toBe("s3cret-pass");
  });

  it("read a client certificate and key for mTLS, and KAFKA_SSL=1 alone means TLS with the system's CAs", () => {
    expect(
      loadConfig(codingConfig, {
        ...BROKERS,
        KAFKA_SSL_CA_FILE: CA,
        KAFKA_SSL_CERT_FILE: CERT,
        KAFKA_SSL_KEY_FILE: KEY,
      }).kafka.security.tls,
    ).toEqual({ caFile: CA, certFile: CERT, keyFile: KEY });
    expect(loadConfig(codingConfig, { ...BROKERS, KAFKA_SSL: "1" }).kafka.security.tls).toEqual({
      caFile: undefined,
      certFile: undefined,
      keyFile: undefined,
    });
  });

  it("accept PLAIN over TLS", () => {
    const { security } = loadConfig(codingConfig, {
      ...BROKERS,
      KAFKA_SSL: "1",
      KAFKA_SASL_MECHANISM: "plain",
      KAFKA_SASL_USERNAME: "u",
      KAFKA_SASL_PASSWORD: "p",
    }).kafka;
    expect(security.sasl?.mechanism).toBe("plain");
  });

  it("refuse PLAIN without TLS, saying why", () => {
    expect(issuesOf({ KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_USERNAME: "u", KAFKA_SASL_PASSWORD: "p" })).toEqual([
      "KAFKA_SASL_MECHANISM: plain sends the password as it is: it is refused without TLS (set KAFKA_SSL_CA_FILE or KAFKA_SSL=1, or use scram-sha-512)",
    ]);
  });

  it("refuse a user without a password, a password without a user, and a mechanism without either", () => {
    expect(issuesOf({ KAFKA_SASL_USERNAME: "u" })).toEqual([
      "KAFKA_SASL_PASSWORD: must be set when KAFKA_SASL_USERNAME is",
    ]);
    expect(issuesOf({ KAFKA_SASL_PASSWORD: "p" })).toEqual([
      "KAFKA_SASL_USERNAME: must be set when KAFKA_SASL_PASSWORD is",
    ]);
    expect(issuesOf({ KAFKA_SASL_MECHANISM: "scram-sha-512" })).toEqual([
      "KAFKA_SASL_USERNAME: must be set (with KAFKA_SASL_PASSWORD) when KAFKA_SASL_MECHANISM is",
    ]);
  });

  it("refuse an unknown mechanism, a certificate without its key, an unreadable file and KAFKA_SSL=0 with files", () => {
    expect(issuesOf({ KAFKA_SASL_MECHANISM: "gssapi", KAFKA_SASL_USERNAME: "u", KAFKA_SASL_PASSWORD: "p" })).toEqual([
      "KAFKA_SASL_MECHANISM: must be one of scram-sha-512, plain",
    ]);
    expect(issuesOf({ KAFKA_SSL_CERT_FILE: CERT })).toEqual([
      "KAFKA_SSL_KEY_FILE: must be set too: a client certificate (KAFKA_SSL_CERT_FILE) needs its key (KAFKA_SSL_KEY_FILE)",
    ]);
    expect(issuesOf({ KAFKA_SSL_CA_FILE: join(dir, "missing.pem") })).toEqual([
      `KAFKA_SSL_CA_FILE: cannot read ${join(dir, "missing.pem")} (ENOENT)`,
    ]);
    expect(issuesOf({ KAFKA_SSL: "0", KAFKA_SSL_CA_FILE: CA })).toEqual([
      "KAFKA_SSL: is 0, but KAFKA_SSL_*_FILE variables are set: remove one or the other",
    ]);
  });

  it("never show the password: not in errors, JSON or inspect", () => {
    const config = loadConfig(dashboardConfig, {
      DATABASE_URL: "postgres://u:p@db:5432/evoke",
      DASHBOARD_TOKENS: "boss:0123456789abcdef:director",
      ...BROKERS,
      KAFKA_SASL_USERNAME: "evoke-dashboard",
      KAFKA_SASL_PASSWORD: "hunter2-kafka",
    });
    expect(JSON.stringify(config)).not.toContain("hunter2-kafka");
    expect(inspect(config, { depth: 10 })).not.toContain("hunter2-kafka");
    expect(issuesOf({ KAFKA_SASL_PASSWORD: "hunter2-kafka", KAFKA_SASL_MECHANISM: "plain" }).join("\n")).not.toContain(
      "hunter2-kafka",
    );
  });

  it("apply to configured brokers only: npm start's local broker listens in plain text", () => {
    expect(() => loadConfig(infrastructureConfig, { KAFKA_SASL_USERNAME: "u", KAFKA_SASL_PASSWORD: "p" })).toThrow(
      /KAFKA_SASL_USERNAME: Kafka TLS\/SASL settings apply to the brokers named by KAFKA_BROKERS/,
    );
    expect(
      loadConfig(infrastructureConfig, { ...BROKERS, KAFKA_SASL_USERNAME: "u", KAFKA_SASL_PASSWORD: "p" }).kafka
        .security.sasl?.username,
    ).toBe("u");
  });
});
