import { createHash } from "node:crypto";
import { type IntakeEvent, type TimeLimits, type ValidationIssue, validateEvent } from "@evoke/events";
import type { Resource } from "@medplum/fhirtypes";
import { Findings, type MappingContext } from "./context.ts";
import { mapHealthcareService, mapOrganization, mapPractitioner, mapPractitionerRole } from "./mappers/directory.ts";
import type { EventDraft, Mapper } from "./mappers/draft.ts";
import { mapEpisodeOfCare } from "./mappers/episodes.ts";
import { mapQuestionnaireResponse } from "./mappers/questionnaires.ts";
import { mapAppointment, mapEncounter } from "./mappers/sessions.ts";
import { mapCommunication, mapDocumentReference } from "./mappers/transcripts.ts";
import { error, type FhirIssue, information } from "./outcome.ts";
import { type Located, logicalIdOf } from "./resource-index.ts";

/*
 * One resource → validated Evoke events, or the issues that stop it. The events then travel
 * exactly as CloudEvents posted to /v1/events do: validateEvent here, publishAcknowledged in
 * the route.
 */

// Mappers are typed per resource; the table is looked up by the resource's own resourceType.
const MAPPERS: Readonly<Record<string, Mapper<Resource & { id: string }>>> = {
  Organization: mapOrganization as Mapper<Resource & { id: string }>,
  HealthcareService: mapHealthcareService as Mapper<Resource & { id: string }>,
  Practitioner: mapPractitioner as Mapper<Resource & { id: string }>,
  PractitionerRole: mapPractitionerRole as Mapper<Resource & { id: string }>,
  EpisodeOfCare: mapEpisodeOfCare as Mapper<Resource & { id: string }>,
  Appointment: mapAppointment as Mapper<Resource & { id: string }>,
  Encounter: mapEncounter as Mapper<Resource & { id: string }>,
  QuestionnaireResponse: mapQuestionnaireResponse as Mapper<Resource & { id: string }>,
  DocumentReference: mapDocumentReference as Mapper<Resource & { id: string }>,
  Communication: mapCommunication as Mapper<Resource & { id: string }>,
};

/** Resource types the endpoint reads (Patient too: it is accepted, and only its reference is used). */
export const SUPPORTED_RESOURCE_TYPES = ["Patient", ...Object.keys(MAPPERS)].sort();

export interface MappedResource {
  readonly issues: readonly FhirIssue[];
  readonly events: readonly IntakeEvent[];
}

export interface RequestFacts {
  /** The CloudEvents source of every event of this request: the sending system. */
  readonly source: string;
  readonly receivedAt: string;
  /** How far events' times may stray from receipt (ingest's configured limits; default DEFAULT_TIME_LIMITS). */
  readonly timeLimits?: TimeLimits;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The CloudEvent id: the same resource version mapped to the same event type always gives the
 * same id, so a resend is deduplicated downstream; a new version (meta.versionId, else
 * meta.lastUpdated, else different content) is a new event.
 */
export function eventIdOf(resource: Resource, logicalId: string, draft: EventDraft): string {
  const version =
    typeof resource.meta?.versionId === "string"
      ? `v:${resource.meta.versionId}`
      : typeof resource.meta?.lastUpdated === "string"
        ? `t:${resource.meta.lastUpdated}`
        : `d:${sha256(JSON.stringify(draft.data))}`;
  return `evt_fhir_${sha256(`${resource.resourceType}/${logicalId}|${version}|${draft.type}`).slice(0, 32)}`;
}

/** Where in the resource an event's validation issue comes from (the longest matching origin). */
function locate(issue: ValidationIssue, draft: EventDraft): FhirIssue {
  if (issue.field === "time")
    return error("meta.lastUpdated", `becomes the event's time, which ${issue.reason}`, "value");
  const field = issue.field.replace(/^data\./, "");
  let origin: string | undefined;
  for (let candidate = field; candidate !== ""; candidate = candidate.replace(/(\.[^.]*|\[\d+\])$/, "")) {
    origin = draft.origins[candidate];
    if (origin !== undefined || !/[.[]/.test(candidate)) break;
  }
  return error(origin ?? "", `maps to Evoke's ${draft.type} ${issue.field}, which ${issue.reason}`, "value");
}

export function mapResource(located: Located, context: MappingContext, facts: RequestFacts): MappedResource {
  const { resource } = located;
  if (resource.resourceType === "Patient") {
    return {
      events: [],
      issues: [
        information(
          "",
          "Accepted; nothing is published. Evoke keeps no Patient details (names, birth dates, identifiers are dropped): other resources' references to this Patient become a pseudonymous client id.",
        ),
      ],
    };
  }
  const mapper = Object.hasOwn(MAPPERS, resource.resourceType) ? MAPPERS[resource.resourceType] : undefined;
  if (mapper === undefined) {
    return {
      events: [],
      issues: [
        error(
          "resourceType",
          `is not a resource type Evoke maps; it reads ${SUPPORTED_RESOURCE_TYPES.join(", ")}`,
          "not-supported",
        ),
      ],
    };
  }
  const logicalId = logicalIdOf(located);
  if (logicalId === undefined) {
    return {
      events: [],
      issues: [
        error("id", "is required (or a urn:uuid fullUrl): Evoke's ids and deduplication are built from it", "required"),
      ],
    };
  }
  const findings = new Findings();
  const drafts = mapper({ ...resource, id: logicalId }, context, findings);
  if (!findings.ok) return { events: [], issues: findings.issues };

  const lastUpdated = resource.meta?.lastUpdated;
  const time = typeof lastUpdated === "string" && RFC3339.test(lastUpdated) ? lastUpdated : facts.receivedAt;
  const events: IntakeEvent[] = [];
  for (const draft of drafts) {
    const validation = validateEvent(
      {
        specversion: "1.0",
        id: eventIdOf(resource, logicalId, draft),
        source: facts.source,
        type: draft.type,
        time,
        ...(draft.subject === undefined ? {} : { subject: draft.subject }),
        data: draft.data,
      },
      {
        receivedAt: new Date(facts.receivedAt),
        ...(facts.timeLimits === undefined ? {} : { timeLimits: facts.timeLimits }),
      },
    );
    if (validation.ok) events.push(validation.event);
    else findings.issues.push(...validation.issues.map((issue) => locate(issue, draft)));
  }
  return findings.ok ? { events, issues: findings.issues } : { events: [], issues: findings.issues };
}
