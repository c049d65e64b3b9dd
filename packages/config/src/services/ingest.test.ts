import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../load.ts";
import { ingestConfig } from "./ingest.ts";

const base = { INGEST_API_KEYS: "north:0123456789abcdef", KAFKA_BROKERS: "127.0.0.1:9092" };

describe("the event contract's time limits", () => {
  it("default to 24 hours of skew, bookings 730 days ahead, nothing before 2000-01-01", () => {
    expect(loadConfig(ingestConfig, base).timeLimits).toEqual({
      maxFutureSkewHours: 24,
      maxScheduleAheadDays: 730,
      earliest: new Date("2000-01-01T00:00:00Z"),
    });
  });

  it("take the values given", () => {
    const config = loadConfig(ingestConfig, {
      ...base,
      INGEST_MAX_FUTURE_SKEW_HOURS: "48",
      INGEST_MAX_SCHEDULE_AHEAD_DAYS: "400",
      INGEST_EARLIEST_DATE: "1990-06-01",
    });
    expect(config.timeLimits).toEqual({
      maxFutureSkewHours: 48,
      maxScheduleAheadDays: 400,
      earliest: new Date("1990-06-01T00:00:00Z"),
    });
  });

  it.each([
    ["INGEST_EARLIEST_DATE", "2000-02-30", "must be a date as YYYY-MM-DD"],
    ["INGEST_EARLIEST_DATE", "01/01/2000", "must be a date as YYYY-MM-DD"],
    ["INGEST_EARLIEST_DATE", "0000-06-01", "there is no year 0"],
    ["INGEST_MAX_FUTURE_SKEW_HOURS", "0", "at least 1"],
    ["INGEST_MAX_SCHEDULE_AHEAD_DAYS", "-3", "at least 1"],
  ])("refuses %s=%s, naming the variable", (name, value, reason) => {
    expect(() => loadConfig(ingestConfig, { ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig(ingestConfig, { ...base, [name]: value })).toThrow(new RegExp(`${name}.*${reason}`, "s"));
  });
});
