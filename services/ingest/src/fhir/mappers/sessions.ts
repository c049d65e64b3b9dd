import type { Appointment, Encounter, Reference } from "@medplum/fhirtypes";
import {
  clientIdOf,
  type Findings,
  type MappingContext,
  programmeIdOf,
  referenceType,
  resolveReference,
  sessionIdOf,
  therapistIdOf,
  timestampOf,
} from "../context.ts";
import { defined, type EventDraft, type Mapper, nothingFor } from "./draft.ts";

/*
 * Sessions from Appointments (booked → scheduled, fulfilled → scheduled + attended, noshow →
 * missed, cancelled → cancelled) and Encounters (planned → scheduled, finished → attended). An
 * Encounter that points at its Appointment is the same session (ses_appt_<id>).
 */

export interface Candidate {
  readonly reference: Reference | undefined;
  readonly path: string;
}

const PROGRAMME_TYPES = new Set(["Organization", "HealthcareService"]);
const VIA_TYPES = new Set(["EpisodeOfCare", "PractitionerRole"]);

/**
 * The session's programme: the first candidate that names one (an Organization or
 * HealthcareService, or an EpisodeOfCare or PractitionerRole present in the request), else
 * FHIR_DEFAULT_PROGRAMME.
 */
export function programmeOfSession(
  context: MappingContext,
  candidates: readonly Candidate[],
  path: string,
  findings: Findings,
): string | undefined {
  for (const candidate of candidates) {
    const type = referenceType(context, candidate.reference);
    const usable =
      (type !== undefined && PROGRAMME_TYPES.has(type)) ||
      (type !== undefined && VIA_TYPES.has(type) && resolveReference(context, candidate.reference) !== undefined);
    if (usable) return programmeIdOf(context, candidate.reference, candidate.path, findings);
  }
  if (context.config.defaultProgrammeId !== null) return context.config.defaultProgrammeId;
  return findings.fail(
    path,
    "names no programme: add a HealthcareService or Organization participant, an EpisodeOfCare (in the Bundle), a PractitionerRole (in the Bundle), or configure FHIR_DEFAULT_PROGRAMME",
    "required",
  );
}

/**
 * Where the programme of a session may be read from, when a measure or transcript names the
 * session by reference and the session's resource is in the request: an Encounter's episode
 * and service provider, an Appointment's participants.
 */
export function sessionProgrammeCandidates(context: MappingContext, session: Reference | undefined): Candidate[] {
  const located = resolveReference(context, session);
  const resource = located?.resource;
  if (located === undefined || resource === undefined) return [];
  if (resource.resourceType === "Encounter") {
    return [
      ...(resource.episodeOfCare ?? []).map((reference, index) => ({
        reference,
        path: `${located.root}.episodeOfCare[${index}]`,
      })),
      { reference: resource.serviceProvider, path: `${located.root}.serviceProvider` },
    ];
  }
  if (resource.resourceType === "Appointment") {
    return (resource.participant ?? [])
      .map((participant, index) => ({
        reference: participant.actor,
        path: `${located.root}.participant[${index}].actor`,
      }))
      .filter((candidate) => referenceType(context, candidate.reference) !== "PractitionerRole");
  }
  return [];
}

function firstOfType(
  context: MappingContext,
  references: readonly (Reference | undefined)[],
  types: ReadonlySet<string>,
): number {
  return references.findIndex((reference) => {
    const type = referenceType(context, reference);
    return type !== undefined && types.has(type);
  });
}

const PATIENT = new Set(["Patient"]);
const CLINICIAN = new Set(["Practitioner", "PractitionerRole"]);

function minutesBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const minutes = (Date.parse(end) - Date.parse(start)) / 60_000;
  return Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
}

/** Codes of http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason: pat* are the patient's. */
function cancelledByOf(appointment: Appointment, findings: Findings): "client" | "clinic" | undefined {
  const code = appointment.cancelationReason?.coding?.find((coding) => typeof coding.code === "string")?.code;
  if (code === undefined) {
    return findings.fail(
      "cancelationReason",
      "is required on a cancelled Appointment: a coding from appointment-cancellation-reason (pat* codes mean the client cancelled, the others the clinic)",
      "required",
    );
  }
  return code.startsWith("pat") ? "client" : "clinic";
}

const APPOINTMENT_WAITING = new Set(["proposed", "pending", "waitlist", "entered-in-error"]);
const APPOINTMENT_BOOKED = new Set(["booked", "arrived", "checked-in"]);

export const mapAppointment: Mapper<Appointment & { id: string }> = (appointment, context, findings) => {
  const status = appointment.status;
  if (typeof status !== "string") return findings.fail("status", "is required", "required") ?? [];
  if (APPOINTMENT_WAITING.has(status)) {
    return nothingFor(
      findings,
      "status",
      `An Appointment that is ${status} is not a booked session: nothing is published.`,
    );
  }
  if (!APPOINTMENT_BOOKED.has(status) && !["fulfilled", "noshow", "cancelled"].includes(status)) {
    return (
      findings.fail(
        "status",
        "must be one of proposed, pending, booked, arrived, fulfilled, cancelled, noshow, entered-in-error, checked-in, waitlist",
        "code-invalid",
      ) ?? []
    );
  }
  const actors = (appointment.participant ?? []).map((participant) => participant.actor);
  const patientAt = firstOfType(context, actors, PATIENT);
  const clinicianAt = firstOfType(context, actors, CLINICIAN);
  const clientId =
    patientAt === -1
      ? findings.fail("participant", "must include the Patient (participant.actor referring to a Patient)", "required")
      : clientIdOf(context, actors[patientAt], `participant[${patientAt}].actor`, findings);
  const needsTherapist = status !== "noshow" && status !== "cancelled";
  const therapistId =
    clinicianAt === -1
      ? needsTherapist
        ? findings.fail(
            "participant",
            "must include the clinician (a Practitioner or PractitionerRole actor)",
            "required",
          )
        : undefined
      : therapistIdOf(context, actors[clinicianAt], `participant[${clinicianAt}].actor`, findings);
  const candidates: Candidate[] = [
    ...actors.map((reference, index) => ({ reference, path: `participant[${index}].actor` })),
    ...(appointment.supportingInformation ?? []).map((reference, index) => ({
      reference,
      path: `supportingInformation[${index}]`,
    })),
  ].filter((candidate) => referenceType(context, candidate.reference) !== "PractitionerRole");
  // A PractitionerRole's organisation comes last: the clinician may work in several programmes.
  if (clinicianAt !== -1)
    candidates.push({ reference: actors[clinicianAt], path: `participant[${clinicianAt}].actor` });
  const programmeId = programmeOfSession(context, candidates, "participant", findings);
  const start = timestampOf(appointment.start, "start", findings);
  const cancelledBy = status === "cancelled" ? cancelledByOf(appointment, findings) : undefined;
  if (!findings.ok || clientId === undefined || programmeId === undefined) return [];

  const sessionId = `ses_appt_${appointment.id}`;
  const who = { sessionId, clientId, programmeId };
  const origins = { sessionId: "id", clientId: `participant[${patientAt}].actor`, programmeId: "participant" };
  const scheduled: EventDraft = {
    type: "evoke.session.scheduled",
    subject: clientId,
    data: { ...who, therapistId, scheduledAt: start },
    origins: { ...origins, therapistId: `participant[${clinicianAt}].actor`, scheduledAt: "start" },
  };
  switch (status) {
    case "fulfilled": {
      const durationMinutes =
        typeof appointment.minutesDuration === "number"
          ? appointment.minutesDuration
          : minutesBetween(start, appointment.end);
      return [
        scheduled,
        {
          type: "evoke.session.attended",
          subject: clientId,
          data: defined({ ...who, therapistId, occurredAt: start, durationMinutes }),
          origins: { ...scheduled.origins, occurredAt: "start", durationMinutes: "minutesDuration" },
        },
      ];
    }
    case "noshow":
      return [
        {
          type: "evoke.session.missed",
          subject: clientId,
          data: defined({ ...who, therapistId, scheduledAt: start }),
          origins: scheduled.origins,
        },
      ];
    case "cancelled":
      return [
        {
          type: "evoke.session.cancelled",
          subject: clientId,
          data: { ...who, cancelledBy },
          origins: { ...origins, cancelledBy: "cancelationReason" },
        },
      ];
    default:
      return [scheduled];
  }
};

const ENCOUNTER_NOTHING = new Set(["arrived", "triaged", "in-progress", "onleave", "entered-in-error", "unknown"]);

export const mapEncounter: Mapper<Encounter & { id: string }> = (encounter, context, findings) => {
  const status = encounter.status;
  if (typeof status !== "string") return findings.fail("status", "is required", "required") ?? [];
  if (ENCOUNTER_NOTHING.has(status)) {
    return nothingFor(
      findings,
      "status",
      `An Encounter that is ${status} is not yet a session outcome: Evoke publishes planned (scheduled) and finished (attended).`,
    );
  }
  if (status === "cancelled") {
    // R4's Encounter says nothing of who cancelled; the Appointment does.
    const appointment = resolveReference(context, encounter.appointment?.[0]);
    if (appointment?.resource.resourceType === "Appointment") {
      return nothingFor(
        findings,
        "status",
        "A cancelled Encounter is published from its Appointment (in this request).",
      );
    }
    return (
      findings.fail(
        "status",
        "cancelled is mapped from the Appointment, which says who cancelled (R4's Encounter does not): send the cancelled Appointment instead",
        "not-supported",
      ) ?? []
    );
  }
  if (status !== "planned" && status !== "finished") {
    return (
      findings.fail(
        "status",
        "must be one of planned, arrived, triaged, in-progress, onleave, finished, cancelled, entered-in-error, unknown",
        "code-invalid",
      ) ?? []
    );
  }
  const clientId = clientIdOf(context, encounter.subject, "subject", findings);
  const individuals = (encounter.participant ?? []).map((participant) => participant.individual);
  const clinicianAt = firstOfType(context, individuals, CLINICIAN);
  const therapistId =
    clinicianAt === -1
      ? findings.fail(
          "participant",
          "must include the clinician (participant.individual: a Practitioner or PractitionerRole)",
          "required",
        )
      : therapistIdOf(context, individuals[clinicianAt], `participant[${clinicianAt}].individual`, findings);
  const candidates: Candidate[] = [
    ...(encounter.episodeOfCare ?? []).map((reference, index) => ({ reference, path: `episodeOfCare[${index}]` })),
    { reference: encounter.serviceProvider, path: "serviceProvider" },
    ...(clinicianAt === -1
      ? []
      : [{ reference: individuals[clinicianAt], path: `participant[${clinicianAt}].individual` }]),
  ];
  const programmeId = programmeOfSession(context, candidates, "serviceProvider", findings);
  const sessionId =
    encounter.appointment?.[0] === undefined
      ? `ses_enc_${encounter.id}`
      : sessionIdOf(context, encounter.appointment[0], "appointment[0]", findings);
  const start = timestampOf(encounter.period?.start, "period.start", findings);
  if (!findings.ok || clientId === undefined || programmeId === undefined || sessionId === undefined) return [];

  const origins = {
    sessionId: encounter.appointment?.[0] === undefined ? "id" : "appointment[0]",
    clientId: "subject",
    therapistId: `participant[${clinicianAt}].individual`,
    programmeId: "serviceProvider",
  };
  if (status === "planned") {
    return [
      {
        type: "evoke.session.scheduled",
        subject: clientId,
        data: { sessionId, clientId, therapistId, programmeId, scheduledAt: start },
        origins: { ...origins, scheduledAt: "period.start" },
      },
    ];
  }
  const length = encounter.length;
  const durationMinutes =
    typeof length?.value === "number" && (length.code === "min" || length.unit === "min")
      ? length.value
      : minutesBetween(start, encounter.period?.end);
  return [
    {
      type: "evoke.session.attended",
      subject: clientId,
      data: defined({ sessionId, clientId, therapistId, programmeId, occurredAt: start, durationMinutes }),
      origins: { ...origins, occurredAt: "period.start", durationMinutes: "length" },
    },
  ];
};
