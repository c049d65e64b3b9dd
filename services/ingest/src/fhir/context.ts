import { createHmac } from "node:crypto";
import type { FhirConfig } from "@evoke/config";
import type { Identifier, Reference } from "@medplum/fhirtypes";
import { error, type FhirIssue } from "./outcome.ts";
import { type Located, logicalIdOf, parseReference, type ResourceIndex } from "./resource-index.ts";

/*
 * Turning FHIR references into Evoke's ids. Most ids come from the reference alone
 * (Practitioner/42 → thr_42), so a Bundle need not repeat resources Evoke already knows; a
 * reference is resolved inside the request only where the id depends on the target's content
 * (a PractitionerRole's practitioner, an EpisodeOfCare's organisation, a Patient's identifier).
 */

/** What mapping needs besides the resource: settings and the other resources of the request. */
export interface MappingContext {
  readonly config: FhirConfig;
  readonly index: ResourceIndex;
}

/** Collects the issues found while mapping one resource. `fail` returns undefined, for chaining. */
export class Findings {
  readonly issues: FhirIssue[] = [];

  fail(path: string, diagnostics: string, code: FhirIssue["code"] = "invalid"): undefined {
    this.issues.push(error(path, diagnostics, code));
    return undefined;
  }

  get ok(): boolean {
    return !this.issues.some((issue) => issue.severity === "error");
  }
}

function targetOf(
  context: MappingContext,
  reference: Reference | undefined,
): { type: string | undefined; id: string | undefined; resolved: Located | undefined } {
  const literal = reference?.reference;
  if (typeof literal !== "string") return { type: reference?.type, id: undefined, resolved: undefined };
  const resolved = context.index.resolve(literal);
  if (resolved !== undefined) {
    return { type: resolved.resource.resourceType, id: logicalIdOf(resolved), resolved };
  }
  const parsed = parseReference(literal);
  return { type: parsed?.type ?? reference?.type, id: parsed?.id, resolved: undefined };
}

function describeUnresolved(path: string, findings: Findings, reference: Reference | undefined, expected: string) {
  if (reference === undefined) return findings.fail(path, `is required: a reference to ${expected}`, "required");
  if (typeof reference.reference !== "string") {
    return findings.fail(`${path}.reference`, `is required: a literal reference to ${expected}`, "required");
  }
  if (reference.reference.startsWith("urn:") || reference.reference.startsWith("#")) {
    return findings.fail(
      `${path}.reference`,
      `does not resolve to any entry of this request (${expected} expected); include the target in the Bundle, or refer to it as Type/id`,
      "not-found",
    );
  }
  return findings.fail(`${path}.reference`, `must refer to ${expected}`, "invalid");
}

const HASH_HEX_CHARACTERS = 32;

function hashClient(context: MappingContext, key: string): string {
  const salt = context.config.patientIdSalt;
  // The endpoint refuses requests before mapping when no salt is set (routes.ts).
  if (salt === null) throw new Error("FHIR_PATIENT_ID_SALT is not set");
  return `cli_${createHmac("sha256", salt.reveal()).update(key).digest("hex").slice(0, HASH_HEX_CHARACTERS)}`;
}

function identifierValue(identifiers: readonly Identifier[] | undefined, system: string): string | undefined {
  return identifiers?.find((identifier) => identifier.system === system && typeof identifier.value === "string")?.value;
}

/**
 * A Patient reference as a pseudonymous client id: an HMAC (salted, secret) of the Patient's
 * logical id, or of its identifier in FHIR_PATIENT_IDENTIFIER_SYSTEM when that is configured.
 * Nothing else of the Patient is read.
 */
export function clientIdOf(
  context: MappingContext,
  reference: Reference | undefined,
  path: string,
  findings: Findings,
): string | undefined {
  const target = targetOf(context, reference);
  const system = context.config.patientIdentifierSystem;
  if (system !== null) {
    const patient = target.resolved?.resource;
    const value =
      (reference?.identifier?.system === system ? reference.identifier.value : undefined) ??
      (patient?.resourceType === "Patient" ? identifierValue(patient.identifier, system) : undefined);
    if (value === undefined) {
      return findings.fail(
        path,
        "must identify the Patient by the configured identifier system: put the identifier on the reference, or include the Patient with that identifier in the Bundle",
        "required",
      );
    }
    return hashClient(context, `${system}|${value}`);
  }
  if (target.type !== "Patient" || target.id === undefined) {
    return describeUnresolved(path, findings, reference, "a Patient");
  }
  return hashClient(context, `Patient/${target.id}`);
}

/** Organization/x or HealthcareService/x → its configured programme id, else prg_org_x / prg_hcs_x. */
function programmeOfDirectory(context: MappingContext, type: string, id: string): string {
  const mapped = context.config.programmeMap.get(`${type}/${id}`);
  if (mapped !== undefined) return mapped;
  return type === "Organization" ? `prg_org_${id}` : `prg_hcs_${id}`;
}

export function programmeIdOfResource(context: MappingContext, type: string, id: string): string {
  return programmeOfDirectory(context, type, id);
}

/**
 * The programme a reference stands for: an Organization or HealthcareService directly; an
 * EpisodeOfCare through its managingOrganization and a PractitionerRole through its
 * healthcareService or organization (both must then be in the request).
 */
export function programmeIdOf(
  context: MappingContext,
  reference: Reference | undefined,
  path: string,
  findings: Findings,
  hops = 0,
): string | undefined {
  const target = targetOf(context, reference);
  // One hop through another resource at most: a reference chain that loops back must not hang us.
  if (hops > 1) return findings.fail(path, "refers in a loop; it must name its target directly", "structure");
  if ((target.type === "Organization" || target.type === "HealthcareService") && target.id !== undefined) {
    return programmeOfDirectory(context, target.type, target.id);
  }
  const resource = target.resolved?.resource;
  if (resource?.resourceType === "EpisodeOfCare") {
    return programmeIdOf(
      context,
      resource.managingOrganization,
      `${target.resolved?.root}.managingOrganization`,
      findings,
      hops + 1,
    );
  }
  if (resource?.resourceType === "PractitionerRole") {
    const via = resource.healthcareService?.[0] ?? resource.organization;
    return programmeIdOf(
      context,
      via,
      `${target.resolved?.root}.${resource.healthcareService?.[0] === undefined ? "organization" : "healthcareService[0]"}`,
      findings,
      hops + 1,
    );
  }
  if (target.type === "EpisodeOfCare" || target.type === "PractitionerRole") {
    return findings.fail(
      `${path}.reference`,
      `names a ${target.type} that is not in this request: include it in the Bundle so its organisation is known`,
      "not-found",
    );
  }
  return describeUnresolved(path, findings, reference, "an Organization or HealthcareService");
}

/** Practitioner/x → thr_x; a PractitionerRole through its practitioner (it must be in the request). */
export function therapistIdOf(
  context: MappingContext,
  reference: Reference | undefined,
  path: string,
  findings: Findings,
  hops = 0,
): string | undefined {
  const target = targetOf(context, reference);
  // One hop through another resource at most: a reference chain that loops back must not hang us.
  if (hops > 1) return findings.fail(path, "refers in a loop; it must name its target directly", "structure");
  if (target.type === "Practitioner" && target.id !== undefined) return `thr_${target.id}`;
  const resource = target.resolved?.resource;
  if (resource?.resourceType === "PractitionerRole") {
    return therapistIdOf(context, resource.practitioner, `${target.resolved?.root}.practitioner`, findings, hops + 1);
  }
  if (target.type === "PractitionerRole") {
    return findings.fail(
      `${path}.reference`,
      "names a PractitionerRole that is not in this request: include it, or refer to the Practitioner",
      "not-found",
    );
  }
  return describeUnresolved(path, findings, reference, "a Practitioner or PractitionerRole");
}

/** An Appointment or Encounter reference as a session id (an Encounter booked by an Appointment is that session). */
export function sessionIdOf(
  context: MappingContext,
  reference: Reference | undefined,
  path: string,
  findings: Findings,
  hops = 0,
): string | undefined {
  const target = targetOf(context, reference);
  // One hop through another resource at most: a reference chain that loops back must not hang us.
  if (hops > 1) return findings.fail(path, "refers in a loop; it must name its target directly", "structure");
  if (target.type === "Appointment" && target.id !== undefined) return `ses_appt_${target.id}`;
  if (target.type === "Encounter" && target.id !== undefined) {
    const encounter = target.resolved?.resource;
    if (encounter?.resourceType === "Encounter" && encounter.appointment?.[0] !== undefined) {
      return sessionIdOf(
        context,
        encounter.appointment[0],
        `${target.resolved?.root}.appointment[0]`,
        findings,
        hops + 1,
      );
    }
    return `ses_enc_${target.id}`;
  }
  return describeUnresolved(path, findings, reference, "an Appointment or Encounter");
}

export function referenceType(context: MappingContext, reference: Reference | undefined): string | undefined {
  return targetOf(context, reference).type;
}

export function resolveReference(context: MappingContext, reference: Reference | undefined): Located | undefined {
  return targetOf(context, reference).resolved;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A FHIR date, dateTime or instant as Evoke's RFC 3339 timestamp. A bare date is taken as
 * midnight UTC (FHIR allows dates where Evoke wants an instant: an episode's start, say);
 * partial dates (year, year-month) are refused.
 */
export function timestampOf(value: unknown, path: string, findings: Findings): string | undefined {
  if (value === undefined) return findings.fail(path, "is required", "required");
  if (typeof value !== "string") return findings.fail(path, "must be a FHIR dateTime string", "value");
  if (DATE_ONLY.test(value)) return `${value}T00:00:00Z`;
  if (DATE_TIME.test(value)) return value;
  return findings.fail(path, "must be a full date or a dateTime with seconds and a time zone offset", "value");
}
