import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../load.ts";
import { aggregationConfig } from "./aggregation.ts";

const base = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/evoke", KAFKA_BROKERS: "127.0.0.1:9092" };

describe("AUDIT_RETENTION_DAYS", () => {
  it("keeps the access audit trail about six years unless told otherwise", () => {
    expect(loadConfig(aggregationConfig, base).auditRetentionDays).toBe(2192);
    expect(loadConfig(aggregationConfig, { ...base, AUDIT_RETENTION_DAYS: "3650" }).auditRetentionDays).toBe(3650);
  });

  it("refuses fewer than 30 days, as the database's purge function does", () => {
    expect(() => loadConfig(aggregationConfig, { ...base, AUDIT_RETENTION_DAYS: "7" })).toThrow(ConfigError);
    expect(() => loadConfig(aggregationConfig, { ...base, AUDIT_RETENTION_DAYS: "30" })).not.toThrow();
  });
});
