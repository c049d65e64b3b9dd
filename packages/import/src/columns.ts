import { CANCELLED_BY, DISCHARGE_REASONS, INSTRUMENT_SCALES, INSTRUMENTS, SPEAKERS } from "@evoke/events";

/*
 * The column set of each kind of CSV file, defined once: the header check, the mapping to
 * events, docs/import.md and the dashboard's import page all read it from here. Column names
 * are snake_case, as spreadsheets and database exports usually have them.
 */

export const IMPORT_KINDS = ["enrolments", "sessions", "readiness", "ratings", "transcripts"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

export interface Column {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
}

function required(name: string, description: string): Column {
  return { name, required: true, description };
}
function optional(name: string, description: string): Column {
  return { name, required: false, description };
}

const TIME = "RFC 3339 with an offset, e.g. 2026-03-14T09:30:00Z";

/** Readiness item columns: every item of every instrument, in snake_case. */
export const READINESS_ITEMS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(INSTRUMENT_SCALES).flatMap((items) =>
    Object.keys(items).map((item) => [item.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), item]),
  ),
);

/** MITI 4.2.1 globals and behaviour counts: CSV column → field of evoke.fidelity.rated. */
export const RATING_GLOBALS = {
  cultivating_change_talk: "cultivatingChangeTalk",
  softening_sustain_talk: "softeningSustainTalk",
  partnership: "partnership",
  empathy: "empathy",
} as const;
export const RATING_COUNTS = {
  giving_information: "givingInformation",
  persuade: "persuade",
  persuade_with_permission: "persuadeWithPermission",
  question: "question",
  simple_reflection: "simpleReflection",
  complex_reflection: "complexReflection",
  affirm: "affirm",
  seeking_collaboration: "seekingCollaboration",
  emphasizing_autonomy: "emphasizingAutonomy",
  confront: "confront",
} as const;

export interface KindDefinition {
  readonly summary: string;
  /** What one row is, and which events it becomes. */
  readonly rows: string;
  /** The columns whose values identify a row: its event ids are derived from them. */
  readonly identity: string;
  readonly columns: readonly Column[];
}

export const KINDS: Readonly<Record<ImportKind, KindDefinition>> = {
  enrolments: {
    summary: "Episodes of care: who was enrolled in which programme, and when and why they were discharged.",
    rows: "One row per episode of care: evoke.client.enrolled, and evoke.client.discharged when discharged_at is filled in.",
    identity: "client_id, programme_id, enrolled_at (and discharged_at for the discharge)",
    columns: [
      required("client_id", "The pseudonymous client ID (never a name, record number or email)."),
      required("programme_id", "The programme's ID."),
      required("enrolled_at", `When the episode began; ${TIME}.`),
      optional("referral_source", "Where the referral came from, e.g. gp, self, court."),
      optional("focus", "The target behaviour, e.g. alcohol, opioids, smoking."),
      optional("tags", "Cohort labels, separated by '|', e.g. pilot-2026|evening."),
      optional("discharged_at", `When the episode ended; ${TIME}. Empty while the client is in care.`),
      optional("discharge_reason", `Required with discharged_at: ${DISCHARGE_REASONS.join(", ")}.`),
    ],
  },
  sessions: {
    summary: "Sessions: booked, attended, missed (no-show) or cancelled.",
    rows: "One row per session event, named by status: evoke.session.scheduled, .attended, .missed or .cancelled. A session usually has two rows: scheduled, then what happened.",
    identity: "session_id, status",
    columns: [
      required("session_id", "The session's ID."),
      required("client_id", "The pseudonymous client ID."),
      required("programme_id", "The programme's ID."),
      required("status", "scheduled, attended, missed or cancelled."),
      optional("therapist_id", "The clinician's ID; required for scheduled and attended."),
      optional("scheduled_at", `When the session was booked for; ${TIME}. Required for scheduled and missed.`),
      optional("occurred_at", `When the session took place; ${TIME}. Required for attended.`),
      optional("duration_minutes", "Attended: how long the session lasted, in minutes."),
      optional("cancelled_by", `Cancelled: ${CANCELLED_BY.join(" or ")}.`),
      optional(
        "cancelled_at",
        `Cancelled: when; ${TIME}. A cancelled row needs cancelled_at or scheduled_at (the event's time).`,
      ),
    ],
  },
  readiness: {
    summary: "Readiness-to-change measures: readiness ruler, URICA or SOCRATES 8.",
    rows: "One row per measure: evoke.readiness.measured. Fill in the item columns of the row's instrument and leave the others empty.",
    identity: "client_id, programme_id, measured_at, instrument",
    columns: [
      required("client_id", "The pseudonymous client ID."),
      required("programme_id", "The programme's ID."),
      required("measured_at", `When the measure was taken; ${TIME}.`),
      required("instrument", `${INSTRUMENTS.join(", ")}.`),
      optional("session_id", "The session the measure was taken in, if any."),
      ...Object.entries(INSTRUMENT_SCALES).flatMap(([instrument, items]) =>
        Object.entries(items).map(([item, [min, max]]) =>
          optional(
            item.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
            `${instrument}: the ${item} score (${min}-${max} unless scale_min/scale_max say otherwise).`,
          ),
        ),
      ),
      optional("scale_min", "The lowest value of the scale every item of the row was given on, if not the usual."),
      optional("scale_max", "The highest value of that scale."),
    ],
  },
  ratings: {
    summary: "Human MITI 4.2.1 ratings of session segments.",
    rows: "One row per rated segment: evoke.fidelity.rated.",
    identity: "session_id, coder_id, rated_at",
    columns: [
      required("session_id", "The rated session's ID."),
      required("coder_id", "The human coder's ID."),
      required("rated_at", `When the segment was rated; ${TIME}.`),
      optional("client_id", "The pseudonymous client ID, if known (keeps the rating with the client's events)."),
      required("segment_minutes", "How many minutes of the session were rated (at most 240)."),
      ...Object.keys(RATING_GLOBALS).map((name) => required(name, "MITI global rating, a whole number from 1 to 5.")),
      ...Object.keys(RATING_COUNTS).map((name) => required(name, "MITI behaviour count, a whole number.")),
    ],
  },
  transcripts: {
    summary: "Session transcripts, for automatic MITI coding.",
    rows: "One row per utterance (speaker turn); the rows of one session, next to each other, become one evoke.transcript.submitted.",
    identity: "session_id",
    columns: [
      required("session_id", "The session's ID. A session's rows must be next to each other."),
      required("client_id", "The pseudonymous client ID (the same on every row of the session)."),
      required("therapist_id", "The clinician's ID (the same on every row of the session)."),
      required("programme_id", "The programme's ID (the same on every row of the session)."),
      required("occurred_at", `When the session took place; ${TIME} (the same on every row of the session).`),
      required("language", "A BCP 47 language tag, e.g. en or en-GB (the same on every row of the session)."),
      optional("change_goal", "The change the session works towards, e.g. drink less."),
      required("turn", "The utterance's position in the session: a whole number; rows are ordered by it."),
      required("speaker", `${SPEAKERS.join(" or ")}.`),
      required("text", "What was said (health data: never echoed in error reports)."),
      optional("start_ms", "Milliseconds from the start of the recording."),
      optional("end_ms", "Milliseconds from the start of the recording."),
    ],
  },
};
