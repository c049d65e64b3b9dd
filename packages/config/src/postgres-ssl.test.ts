import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { infrastructureConfig } from "./infrastructure.ts";
import { ConfigError, loadConfig } from "./load.ts";
import { aggregationConfig } from "./services/aggregation.ts";
import { dashboardConfig } from "./services/dashboard.ts";

const required = {
  KAFKA_BROKERS: "127.0.0.1:9092",
  DASHBOARD_TOKENS: "director:0123456789abcdef:director",
};

describe("PostgreSQL TLS settings", () => {
  it("puts the CA, certificate and key files into DATABASE_URL as absolute libpq parameters", () => {
    const env = {
      DATABASE_URL: "postgres://u:p@db.example/evoke?sslmode=verify-full",
      DATABASE_SSL_CA_FILE: "certs/ca.pem",
      DATABASE_SSL_CERT_FILE: "/etc/evoke/client.pem",
      DATABASE_SSL_KEY_FILE: "/etc/evoke/client.key",
    };
    const url = new URL(loadConfig(infrastructureConfig, env).postgres.url?.reveal() ?? "");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      sslmode: "verify-full",
      sslrootcert: resolve("certs/ca.pem"),
      sslcert: "/etc/evoke/client.pem",
      sslkey: "/etc/evoke/client.key",
    });
  });

  it("does the same for every config that reads DATABASE_URL", () => {
    const env = { ...required, DATABASE_URL: "postgres://u:p@db/evoke", DATABASE_SSL_CA_FILE: "/ca.pem" };
    for (const url of [loadConfig(aggregationConfig, env).databaseUrl, loadConfig(dashboardConfig, env).databaseUrl]) {
      expect(new URL(url.reveal()).searchParams.get("sslrootcert")).toBe("/ca.pem");
    }
  });

  it("overrides the URL's own parameter, so a child handed both gets the same URL", () => {
    const env = { DATABASE_URL: "postgres://u:p@db/evoke?sslrootcert=/old.pem", DATABASE_SSL_CA_FILE: "/new.pem" };
    const once = loadConfig(infrastructureConfig, env).postgres.url?.reveal() ?? "";
    expect(new URL(once).searchParams.get("sslrootcert")).toBe("/new.pem");
    const twice = loadConfig(infrastructureConfig, { ...env, DATABASE_URL: once }).postgres.url?.reveal();
    expect(twice).toBe(once);
  });

  it("leaves the URL as it was when no file is set", () => {
    const config = loadConfig(infrastructureConfig, { DATABASE_URL: "postgres://u:p@db/evoke?sslmode=require" });
    expect(config.postgres.url?.reveal()).toBe("postgres://u:p@db/evoke?sslmode=require");
  });

  it("refuses ssl=true, node-postgres's spelling, naming DATABASE_URL", () => {
    expect(() => loadConfig(infrastructureConfig, { DATABASE_URL: "postgres://u:p@db/evoke?ssl=true" })).toThrow(
      "DATABASE_URL: say sslmode=require, verify-ca or verify-full rather than ssl=...",
    );
  });

  it("refuses an sslmode Evoke does not support, naming DATABASE_URL", () => {
    const load = () =>
      loadConfig(infrastructureConfig, { DATABASE_URL: "postgres://u:p@db/evoke?sslmode=verify_full" });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'DATABASE_URL: sslmode must be one of disable, require, verify-ca, verify-full (got "verify_full")',
    );
  });
});
