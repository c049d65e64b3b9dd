import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dashboardConfig, ingestConfig, loadConfig } from "@evoke/config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO_DIRECTOR, dashboardTokens, fhirPatientSalt, ingestKeys, secretOf } from "./demo-credentials.ts";

describe("npm start's demo credentials", () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "evoke-demo-credentials-"));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("makes a director, an alcohol-only analyst and an engineer the dashboard accepts, and keeps them", async () => {
    const first = await dashboardTokens({}, dataDir);
    expect(first.demoFile).toBe(join(dataDir, "demo-dashboard-tokens"));
    const config = loadConfig(dashboardConfig, { DASHBOARD_TOKENS: first.value, DATABASE_URL: "postgres://e@h/db" });
    expect(config.tokens.map(({ name, role, programmeIds }) => ({ name, role, programmeIds }))).toEqual([
      { name: DEMO_DIRECTOR, role: "director", programmeIds: null },
      { name: "demo-analyst", role: "analyst", programmeIds: ["prg_alcohol"] },
      { name: "demo-engineer", role: "engineer", programmeIds: null },
    ]);
    expect(secretOf(first.value, DEMO_DIRECTOR)).toBe(config.tokens[0]?.secret.reveal());
    expect((await stat(first.demoFile ?? "")).mode & 0o777).toBe(0o600);
    // One token a line in the file, and the same ones on the next start.
    expect((await readFile(first.demoFile ?? "", "utf8")).trim().split("\n")).toHaveLength(3);
    expect(await dashboardTokens({}, dataDir)).toEqual(first);
  });

  it("makes an ingest key the ingest service accepts, and keeps it", async () => {
    const first = await ingestKeys({}, dataDir);
    const config = loadConfig(ingestConfig, { INGEST_API_KEYS: first.value, KAFKA_BROKERS: "127.0.0.1:9092" });
    expect(config.apiKeys.map((key) => key.name)).toEqual(["demo"]);
    expect(await ingestKeys({}, dataDir)).toEqual(first);
  });

  it("makes a FHIR Patient salt the ingest service accepts, and keeps it", async () => {
    const first = await fhirPatientSalt({}, dataDir);
    const config = loadConfig(ingestConfig, {
      INGEST_API_KEYS: "ehr:0123456789abcdef",
      KAFKA_BROKERS: "127.0.0.1:9092",
      FHIR_PATIENT_ID_SALT: first.value,
    });
    expect(config.fhir.patientIdSalt?.reveal()).toBe(first.value);
    expect(await fhirPatientSalt({}, dataDir)).toEqual(first);
    expect(await fhirPatientSalt({ FHIR_PATIENT_ID_SALT: "configured-salt-0123" }, dataDir)).toEqual({
      value: "configured-salt-0123",
      demoFile: undefined,
    });
  });

  it("uses what the user configured, and makes nothing", async () => {
    const tokens = await dashboardTokens({ DASHBOARD_TOKENS: "lead:0123456789abcdef:director" }, dataDir);
    const keys = await ingestKeys({ INGEST_API_KEYS: "ehr:0123456789abcdef" }, dataDir);
    expect(tokens).toEqual({ value: "lead:0123456789abcdef:director", demoFile: undefined });
    expect(keys).toEqual({ value: "ehr:0123456789abcdef", demoFile: undefined });
    expect(secretOf(keys.value, "demo")).toBeUndefined();
  });
});
