import type { z } from "zod";
import { clientDischarged, clientEnrolled } from "./types/clients.ts";
import { sessionCoded } from "./types/coded.ts";
import { programmeRegistered, therapistRegistered } from "./types/directory.ts";
import { fidelityRated } from "./types/fidelity.ts";
import { readinessMeasured } from "./types/readiness.ts";
import { sessionAttended, sessionCancelled, sessionMissed, sessionScheduled } from "./types/sessions.ts";
import { transcriptSubmitted } from "./types/transcripts.ts";

/**
 * How an event type relates to its CloudEvents `subject`:
 * - "client": subject is required and must equal `data.clientId`;
 * - "optional-client": subject may name the client (fidelity ratings know only the session);
 * - "none": the event is not about a client, so it has no subject.
 */
export type SubjectRule = "client" | "optional-client" | "none";

export interface EventTypeDefinition<Data extends z.ZodType = z.ZodType> {
  readonly summary: string;
  readonly data: Data;
  readonly subject: SubjectRule;
  /**
   * The Kafka message key: events about one client share it, so they keep their order
   * through the pipeline. Events with no client are keyed by what they are about.
   */
  readonly key: (data: z.output<Data>, subject: string | undefined) => string;
  /** A valid `data`, used in the docs, the JSON Schema files and the tests. */
  readonly example: z.input<Data>;
}

interface DefinedEventType<Data extends z.ZodType> extends EventTypeDefinition<Data> {
  /** `key` for data already parsed by this type's schema, callable without knowing the type. */
  readonly partitionKey: (data: unknown, subject: string | undefined) => string;
}

function define<Data extends z.ZodType>(definition: EventTypeDefinition<Data>): DefinedEventType<Data> {
  return {
    ...definition,
    // Only ever called with data this definition's own schema produced (see validateEvent).
    partitionKey: (data, subject) => definition.key(data as z.output<Data>, subject),
  };
}

const PROGRAMME = "prg_north_alcohol";
const THERAPIST = "thr_0042";
const CLIENT = "cli_7f3a9c";
const SESSION = "ses_2026_03_14_0930";

/** Every event type Evoke accepts, defined once: validation, types, JSON Schema and docs come from here. */
export const EVENT_TYPES = {
  "evoke.programme.registered": define({
    summary: "An MI programme exists (or was renamed).",
    data: programmeRegistered,
    subject: "none",
    key: (data) => data.programmeId,
    example: { programmeId: PROGRAMME, name: "Alcohol brief intervention, North clinic" },
  }),
  "evoke.therapist.registered": define({
    summary: "A clinician delivers MI in a programme.",
    data: therapistRegistered,
    subject: "none",
    key: (data) => data.therapistId,
    example: { therapistId: THERAPIST, programmeId: PROGRAMME, displayName: "A. Okafor" },
  }),
  "evoke.client.enrolled": define({
    summary: "A client starts an episode of care in a programme.",
    data: clientEnrolled,
    subject: "client",
    key: (data) => data.clientId,
    example: {
      clientId: CLIENT,
      programmeId: PROGRAMME,
      enrolledAt: "2026-03-02T08:15:00Z",
      referralSource: "gp",
      focus: "alcohol",
      tags: ["pilot-2026"],
    },
  }),
  "evoke.client.discharged": define({
    summary: "A client's episode of care ends, and why.",
    data: clientDischarged,
    subject: "client",
    key: (data) => data.clientId,
    example: { clientId: CLIENT, programmeId: PROGRAMME, dischargedAt: "2026-06-01T16:00:00Z", reason: "completed" },
  }),
  "evoke.session.scheduled": define({
    summary: "A session is booked.",
    data: sessionScheduled,
    subject: "client",
    key: (data) => data.clientId,
    example: {
      sessionId: SESSION,
      clientId: CLIENT,
      therapistId: THERAPIST,
      programmeId: PROGRAMME,
      scheduledAt: "2026-03-14T09:30:00Z",
    },
  }),
  "evoke.session.attended": define({
    summary: "A session took place.",
    data: sessionAttended,
    subject: "client",
    key: (data) => data.clientId,
    example: {
      sessionId: SESSION,
      clientId: CLIENT,
      therapistId: THERAPIST,
      programmeId: PROGRAMME,
      occurredAt: "2026-03-14T09:32:00Z",
      durationMinutes: 48,
    },
  }),
  "evoke.session.missed": define({
    summary: "The client did not come to a booked session.",
    data: sessionMissed,
    subject: "client",
    key: (data) => data.clientId,
    example: { sessionId: SESSION, clientId: CLIENT, programmeId: PROGRAMME, scheduledAt: "2026-03-14T09:30:00Z" },
  }),
  "evoke.session.cancelled": define({
    summary: "A booked session was cancelled in advance.",
    data: sessionCancelled,
    subject: "client",
    key: (data) => data.clientId,
    example: { sessionId: SESSION, clientId: CLIENT, programmeId: PROGRAMME, cancelledBy: "client" },
  }),
  "evoke.readiness.measured": define({
    summary: "A readiness-to-change measure (readiness ruler, URICA or SOCRATES 8).",
    data: readinessMeasured,
    subject: "client",
    key: (data) => data.clientId,
    example: {
      clientId: CLIENT,
      programmeId: PROGRAMME,
      measuredAt: "2026-03-02T08:30:00Z",
      instrument: "readiness-ruler",
      scores: { importance: { value: 8 }, confidence: { value: 4 }, readiness: { value: 6 } },
    },
  }),
  "evoke.transcript.submitted": define({
    summary: "A session transcript, one entry per speaker turn, for automatic MITI coding.",
    data: transcriptSubmitted,
    subject: "client",
    key: (data) => data.clientId,
    example: {
      sessionId: SESSION,
      clientId: CLIENT,
      therapistId: THERAPIST,
      programmeId: PROGRAMME,
      language: "en",
      changeGoal: "drink less",
      utterances: [
        { speaker: "therapist", text: "What brings you in today?", startMs: 0, endMs: 2100 },
        { speaker: "client", text: "My partner thinks I drink too much.", startMs: 2400, endMs: 5200 },
        { speaker: "therapist", text: "Someone close to you is worried, and you're not sure.", startMs: 5600 },
      ],
    },
  }),
  "evoke.fidelity.rated": define({
    summary: "A human coder's MITI 4.2.1 rating of a session segment.",
    data: fidelityRated,
    subject: "optional-client",
    key: (data, subject) => subject ?? data.sessionId,
    example: {
      sessionId: SESSION,
      coderId: "coder_07",
      instrument: "MITI-4.2.1",
      globals: { cultivatingChangeTalk: 4, softeningSustainTalk: 3, partnership: 4, empathy: 4 },
      counts: {
        givingInformation: 3,
        persuade: 1,
        persuadeWithPermission: 1,
        question: 9,
        simpleReflection: 6,
        complexReflection: 7,
        affirm: 2,
        seekingCollaboration: 2,
        emphasizingAutonomy: 1,
        confront: 0,
      },
      segmentMinutes: 20,
    },
  }),
} as const;

/**
 * Events the pipeline produces itself. Ingest does not accept them from outside; consumers read
 * them from Kafka with the same validation.
 */
export const PIPELINE_EVENT_TYPES = {
  "evoke.session.coded": define({
    summary: "The automatic MITI 4.2.1 coding of one transcript by one model version.",
    data: sessionCoded,
    subject: "client",
    key: (data) => data.clientId,
    example: {
      sessionId: SESSION,
      clientId: CLIENT,
      therapistId: THERAPIST,
      programmeId: PROGRAMME,
      transcript: { source: "urn:clinic:north:recorder", id: "evt_0001" },
      modelVersion: "annomi-lr-0123456789ab",
      codedAt: "2026-03-14T10:05:00Z",
      thresholds: "manual",
      utterances: [
        { index: 0, speaker: "therapist", category: "question", miti: "Q", confidence: 0.91 },
        { index: 1, speaker: "client", category: "change", confidence: 0.62 },
      ],
      summary: {
        counts: {
          givingInformation: 0,
          persuade: 0,
          persuadeWithPermission: 0,
          question: 1,
          simpleReflection: 0,
          complexReflection: 0,
          affirm: 0,
          seekingCollaboration: 0,
          emphasizingAutonomy: 0,
          confront: 0,
        },
        volleys: 1,
        reflectionToQuestion: 0,
        percentComplexReflections: null,
        percentChangeTalk: 100,
        totalMiAdherent: 0,
        totalMiNonAdherent: 0,
        globals: { cultivatingChangeTalk: 3.1, softeningSustainTalk: 3.4, partnership: 3.2, empathy: 2.9 },
        technical: 3.25,
        relational: 3.05,
        verdicts: {
          technical: "fair",
          relational: "below fair",
          percentComplexReflections: "not scored",
          reflectionToQuestion: "below fair",
        },
      },
    },
  }),
} as const;

/** Types ingest accepts from clinics' systems. */
export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

/** Every type on Evoke's topics: the intake types and the pipeline's own. */
export const ALL_EVENT_TYPES = { ...EVENT_TYPES, ...PIPELINE_EVENT_TYPES } as const;
export type EvokeEventType = keyof typeof ALL_EVENT_TYPES;

export type EventData<T extends EvokeEventType> = z.output<(typeof ALL_EVENT_TYPES)[T]["data"]>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_TYPES, type);
}

export function isEvokeEventType(type: string): type is EvokeEventType {
  return Object.hasOwn(ALL_EVENT_TYPES, type);
}
