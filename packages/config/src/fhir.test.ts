import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load.ts";
import { ingestConfig } from "./services/ingest.ts";

const BASE = { INGEST_API_KEYS: "ehr:0123456789abcdef", KAFKA_BROKERS: "127.0.0.1:9092" };

function messageOf(env: Record<string, string>): string {
  try {
    loadConfig(ingestConfig, { ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return "(loaded)";
}

describe("the FHIR endpoint's settings", () => {
  it("reads the salt as a secret, the identifier system, the programme map and the default", () => {
    const { fhir } = loadConfig(ingestConfig, {
      ...BASE,
      FHIR_PATIENT_ID_SALT: "a-salt-of-16-chars-or-more",
      FHIR_PATIENT_IDENTIFIER_SYSTEM: "urn:oid:2.16.840.1.113883.2.1.4.1",
      FHIR_PROGRAMME_MAP: "HealthcareService/mi-north=prg_north_alcohol, Organization/7=prg_x",
      FHIR_DEFAULT_PROGRAMME: "prg_north_alcohol",
    });
    expect(fhir.patientIdSalt?.reveal()).toBe("a-salt-of-16-chars-or-more");
    expect(JSON.stringify(fhir)).not.toContain("a-salt-of-16");
    expect([...fhir.programmeMap]).toEqual([
      ["HealthcareService/mi-north", "prg_north_alcohol"],
      ["Organization/7", "prg_x"],
    ]);
    expect(fhir).toMatchObject({
      patientIdentifierSystem: "urn:oid:2.16.840.1.113883.2.1.4.1",
      defaultProgrammeId: "prg_north_alcohol",
    });
  });

  it("leaves the endpoint off without a salt", () => {
    expect(loadConfig(ingestConfig, BASE).fhir.patientIdSalt).toBeNull();
  });

  it("names what is wrong, never the salt", () => {
    const short = messageOf({ FHIR_PATIENT_ID_SALT: "short-salt" });
    expect(short).toContain("FHIR_PATIENT_ID_SALT");
    expect(short).not.toContain("short-salt");
    expect(messageOf({ FHIR_PROGRAMME_MAP: "Patient/1=prg_x" })).toContain("entry 1 must be Organization/<id>");
    expect(messageOf({ FHIR_PROGRAMME_MAP: "Organization/1=not an id" })).toContain("not an Evoke programme id");
  });
});
