import { z } from "zod";
import { Secret } from "./secret.ts";

/*
 * Settings of ingest's FHIR R4 endpoint (services/ingest/src/fhir). The salt turns a Patient
 * into a pseudonymous client id; without it the endpoint answers that it is not configured,
 * rather than minting client ids anyone could recompute.
 */

const MIN_SALT_LENGTH = 16;
/** FHIR's id alphabet (https://hl7.org/fhir/R4/datatypes.html#id). */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;
const EVOKE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MAPPED_TYPES = ["Organization", "HealthcareService"] as const;

export interface FhirConfig {
  /** HMAC key for client ids; null: the FHIR endpoint is off. */
  readonly patientIdSalt: Secret | null;
  /** Hash this Patient.identifier system's value instead of the Patient's logical id. */
  readonly patientIdentifierSystem: string | null;
  /** "Organization/north" → an Evoke programme id chosen by the clinic. */
  readonly programmeMap: ReadonlyMap<string, string>;
  /** The programme of resources that name none (single-programme clinics). */
  readonly defaultProgrammeId: string | null;
}

function programmeMap(description: string) {
  return z
    .string()
    .transform((raw, ctx) => {
      const map = new Map<string, string>();
      const entries = raw
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      entries.forEach((entry, index) => {
        const [reference = "", programmeId = "", ...rest] = entry.split("=");
        const [type = "", id = "", ...more] = reference.split("/");
        if (rest.length > 0 || more.length > 0 || !(MAPPED_TYPES as readonly string[]).includes(type)) {
          ctx.addIssue({
            code: "custom",
            message: `entry ${index + 1} must be Organization/<id>=<programmeId> or HealthcareService/<id>=<programmeId> (got "${entry}")`,
          });
        } else if (!FHIR_ID.test(id)) {
          ctx.addIssue({ code: "custom", message: `entry ${index + 1}: "${id}" is not a FHIR id` });
        } else if (!EVOKE_ID.test(programmeId)) {
          ctx.addIssue({
            code: "custom",
            message: `entry ${index + 1}: "${programmeId}" is not an Evoke programme id`,
          });
        } else {
          map.set(`${type}/${id}`, programmeId);
        }
      });
      return map;
    })
    .optional()
    .describe(description);
}

export const fhirVariables = {
  FHIR_PATIENT_ID_SALT: z
    .string()
    .transform((raw, ctx) => {
      if (raw.length < MIN_SALT_LENGTH) {
        ctx.addIssue({ code: "custom", message: `must be at least ${MIN_SALT_LENGTH} characters` });
        return z.NEVER;
      }
      return new Secret(raw);
    })
    .optional()
    .describe(
      "FHIR endpoint: secret salt (16+ characters) for the pseudonymous client id made from each Patient; keep it stable. Unset: npm start makes a demo one; a bare ingest turns POST /fhir/r4 off.",
    ),
  FHIR_PATIENT_IDENTIFIER_SYSTEM: z
    .string()
    .url({ error: "must be a URI, the Patient.identifier.system to hash" })
    .optional()
    .describe(
      "FHIR endpoint: hash the Patient.identifier of this system instead of the Patient's logical id (unset: the logical id).",
    ),
  FHIR_PROGRAMME_MAP: programmeMap(
    "FHIR endpoint: Organization/<id>=<programmeId> or HealthcareService/<id>=<programmeId>, comma-separated (unset: prg_org_<id> / prg_hcs_<id>).",
  ),
  FHIR_DEFAULT_PROGRAMME: z
    .string()
    .regex(EVOKE_ID, { error: "must be an Evoke programme id" })
    .optional()
    .describe(
      "FHIR endpoint: programme id for resources that name no Organization, HealthcareService or EpisodeOfCare.",
    ),
};

export function fhirConfig(env: {
  readonly FHIR_PATIENT_ID_SALT?: Secret | undefined;
  readonly FHIR_PATIENT_IDENTIFIER_SYSTEM?: string | undefined;
  readonly FHIR_PROGRAMME_MAP?: Map<string, string> | undefined;
  readonly FHIR_DEFAULT_PROGRAMME?: string | undefined;
}): FhirConfig {
  return {
    patientIdSalt: env.FHIR_PATIENT_ID_SALT ?? null,
    patientIdentifierSystem: env.FHIR_PATIENT_IDENTIFIER_SYSTEM ?? null,
    programmeMap: env.FHIR_PROGRAMME_MAP ?? new Map(),
    defaultProgrammeId: env.FHIR_DEFAULT_PROGRAMME ?? null,
  };
}
