import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { infrastructureConfig } from "./infrastructure.ts";
import { ConfigError, loadConfig } from "./load.ts";

describe("loadConfig(infrastructureConfig)", () => {
  it("applies the documented defaults when nothing is set", () => {
    expect(loadConfig(infrastructureConfig, {})).toEqual({
      kafka: {
        brokers: undefined,
        security: { tls: null, sasl: null },
        local: { port: 9092, controllerPort: 9093, javaHome: undefined },
        topics: { partitions: 6, replicationFactor: 1, retentionHours: 168 },
      },
      postgres: { url: undefined, embedded: { port: 54329 } },
      dataDir: "infra/.data",
      logLevel: "info",
      demoData: true,
    });
  });

  it("parses what is set into typed values", () => {
    const config = loadConfig(infrastructureConfig, {
      KAFKA_BROKERS: "kafka-1:9092, kafka-2:9092",
      KAFKA_PORT: "19092",
      DATABASE_URL: "postgres://evoke:pw@db:5432/evoke",
      LOG_LEVEL: "debug",
    });
    expect(config.kafka.brokers).toEqual(["kafka-1:9092", "kafka-2:9092"]);
    expect(config.kafka.local.port).toBe(19092);
    expect(config.postgres.url?.reveal()).toBe("postgres://evoke:pw@db:5432/evoke");
    expect(config.logLevel).toBe("debug");
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig(infrastructureConfig, { KAFKA_BROKERS: "", KAFKA_PORT: "" }).kafka).toMatchObject({
      brokers: undefined,
      local: { port: 9092, controllerPort: 9093 },
    });
  });

  it("fails naming every bad variable, what it expects and what it got", () => {
    const attempt = () =>
      loadConfig(infrastructureConfig, {
        KAFKA_PORT: "70000",
        KAFKA_BROKERS: "localhost",
        EMBEDDED_POSTGRES_PORT: "54x",
        LOG_LEVEL: "chatty",
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { issues, message } = error as ConfigError;
      expect(issues.map((issue) => issue.variable).sort()).toEqual([
        "EMBEDDED_POSTGRES_PORT",
        "KAFKA_BROKERS",
        "KAFKA_PORT",
        "LOG_LEVEL",
      ]);
      expect(message).toContain('KAFKA_PORT: must be a port number between 1 and 65535 (got "70000")');
      expect(message).toContain(
        'KAFKA_BROKERS: must be a comma-separated list of host:port, e.g. 127.0.0.1:9092 (got "localhost")',
      );
      expect(message).toContain("LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent");
    }
  });

  it("never echoes a malformed DATABASE_URL, which may hold a password", () => {
    expect(() => loadConfig(infrastructureConfig, { DATABASE_URL: "mysql://root:hunter2@db/evoke" })).toThrow(
      /^(?!.*hunter2).*DATABASE_URL: must be a URL of the form postgres:\/\/user:password@host:port\/database/s,
    );
  });

  it("keeps secrets out of JSON, inspect and string conversion", () => {
    const config = loadConfig(infrastructureConfig, { DATABASE_URL: "postgres://evoke:hunter2@db:5432/evoke" });
    expect(JSON.stringify(config)).not.toContain("hunter2");
    expect(inspect(config, { depth: 10 })).not.toContain("hunter2");
    expect(`${config.postgres.url}`).toBe("[redacted]");
  });
});
