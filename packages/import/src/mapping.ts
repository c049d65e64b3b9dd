import { createHash } from "node:crypto";
import type { EventType } from "@evoke/events";
import { type ImportKind, RATING_COUNTS, RATING_GLOBALS, READINESS_ITEMS } from "./columns.ts";

/*
 * Rows → CloudEvents. Each mapper turns one row's text values into candidate events (plain
 * objects for validateEvent to judge) and says which column each field came from, so that a
 * validation issue can be reported as line + column. Conversions that need no schema (a number
 * that is not a number) are reported here, in the same words.
 */

/** One thing wrong with a row: where (line, column) and why. Never the value. */
export interface RowError {
  readonly line: number;
  /** The CSV column, or undefined when the row as a whole is wrong. */
  readonly column?: string;
  readonly reason: string;
}

/** An event built from a row, not yet validated, and where its fields came from. */
export interface Candidate {
  readonly event: Record<string, unknown>;
  /** The line and column a validation issue's field (e.g. `data.clientId`) points at. */
  locate(field: string): { line: number; column?: string };
}

export interface Mapped {
  readonly candidates: readonly Candidate[];
  readonly errors: readonly RowError[];
}

/** The import's CloudEvents `source` unless the caller names another. */
export const DEFAULT_IMPORT_SOURCE = "urn:evoke:import:csv";

/**
 * The event id: a digest of the kind, the event type and the row's identifying columns. The
 * same row imported again gets the same id, so with the same source it is a resend, which the
 * pipeline records once (processed events are keyed by source and id).
 */
export function importEventId(kind: ImportKind, type: EventType, identity: readonly string[]): string {
  const digest = createHash("sha256")
    .update([kind, type, ...identity].join("\u0000"))
    .digest("hex");
  return `imp_${digest.slice(0, 40)}`;
}

/** A row's values, read with conversions that record their own errors. */
export class RowReader {
  readonly errors: RowError[] = [];
  constructor(
    readonly line: number,
    private readonly values: Readonly<Record<string, string>>,
  ) {}

  /** The trimmed text, or undefined when the cell is empty (or the column absent). */
  text(column: string): string | undefined {
    const value = this.values[column]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  /** The text of a required column; an empty cell is an error. */
  need(column: string): string | undefined {
    const value = this.text(column);
    if (value === undefined) this.errors.push({ line: this.line, column, reason: "is required" });
    return value;
  }

  /** A number, or undefined when empty; text that is not a number is an error. */
  number(column: string, isRequired = false): number | undefined {
    const value = isRequired ? this.need(column) : this.text(column);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) {
      this.errors.push({ line: this.line, column, reason: "must be a number" });
      return undefined;
    }
    return parsed;
  }

  /** Free text kept as written (transcript turns: leading spaces are not trimmed away). */
  raw(column: string): string | undefined {
    const value = this.values[column];
    return value === undefined || value.trim() === "" ? undefined : value;
  }
}

/** Drops undefined members, so an empty optional cell is an absent field. (A loop: it runs per row.) */
function defined(object: Record<string, unknown>): Record<string, unknown> {
  for (const key in object) if (object[key] === undefined) delete object[key];
  return object;
}

/** A locate() from data field → column, plus the envelope's time and subject columns. */
function locator(
  line: number,
  columns: Readonly<Record<string, string>>,
  envelope: { time: string; subject?: string },
): Candidate["locate"] {
  return (field) => {
    if (field === "time") return { line, column: envelope.time };
    if (field === "subject" && envelope.subject !== undefined) return { line, column: envelope.subject };
    const path = field.startsWith("data.") ? field.slice(5) : field;
    let best: string | undefined;
    for (const prefix of Object.keys(columns)) {
      const matches = path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
      if (matches && (best === undefined || prefix.length > best.length)) best = prefix;
    }
    return best === undefined ? { line } : { line, column: columns[best] as string };
  };
}

function cloudEvent(
  kind: ImportKind,
  type: EventType,
  identity: readonly (string | undefined)[],
  fields: { source: string; time: string | undefined; subject: string | undefined; data: Record<string, unknown> },
): Record<string, unknown> {
  return defined({
    specversion: "1.0",
    id: importEventId(
      kind,
      type,
      identity.map((part) => part ?? ""),
    ),
    source: fields.source,
    type,
    time: fields.time,
    subject: fields.subject,
    data: defined(fields.data),
  });
}

const CLIENT_FIELDS = { clientId: "client_id", programmeId: "programme_id" } as const;

export function mapEnrolment(row: RowReader, source: string): Mapped {
  const clientId = row.need("client_id");
  const programmeId = row.need("programme_id");
  const enrolledAt = row.need("enrolled_at");
  const dischargedAt = row.text("discharged_at");
  const reason = row.text("discharge_reason");
  if (dischargedAt === undefined && reason !== undefined)
    row.errors.push({ line: row.line, column: "discharged_at", reason: "is required when discharge_reason is given" });
  if (dischargedAt !== undefined && reason === undefined)
    row.errors.push({ line: row.line, column: "discharge_reason", reason: "is required when discharged_at is given" });
  const tags = row
    .text("tags")
    ?.split("|")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  const candidates: Candidate[] = [
    {
      event: cloudEvent("enrolments", "evoke.client.enrolled", [clientId, programmeId, enrolledAt], {
        source,
        time: enrolledAt,
        subject: clientId,
        data: {
          clientId,
          programmeId,
          enrolledAt,
          referralSource: row.text("referral_source"),
          focus: row.text("focus"),
          tags,
        },
      }),
      locate: locator(
        row.line,
        {
          ...CLIENT_FIELDS,
          enrolledAt: "enrolled_at",
          referralSource: "referral_source",
          focus: "focus",
          tags: "tags",
        },
        { time: "enrolled_at", subject: "client_id" },
      ),
    },
  ];
  if (dischargedAt !== undefined && reason !== undefined) {
    candidates.push({
      event: cloudEvent("enrolments", "evoke.client.discharged", [clientId, programmeId, dischargedAt], {
        source,
        time: dischargedAt,
        subject: clientId,
        data: { clientId, programmeId, dischargedAt, reason },
      }),
      locate: locator(
        row.line,
        { ...CLIENT_FIELDS, dischargedAt: "discharged_at", reason: "discharge_reason" },
        { time: "discharged_at", subject: "client_id" },
      ),
    });
  }
  return { candidates, errors: row.errors };
}

const SESSION_STATUSES = {
  scheduled: "evoke.session.scheduled",
  attended: "evoke.session.attended",
  missed: "evoke.session.missed",
  cancelled: "evoke.session.cancelled",
} as const satisfies Record<string, EventType>;

const SESSION_COLUMNS = {
  ...CLIENT_FIELDS,
  sessionId: "session_id",
  therapistId: "therapist_id",
  scheduledAt: "scheduled_at",
  occurredAt: "occurred_at",
  durationMinutes: "duration_minutes",
  cancelledBy: "cancelled_by",
  cancelledAt: "cancelled_at",
} as const;

/** The column that gives a session event its time, and the event's data, by status. */
function sessionData(
  row: RowReader,
  status: keyof typeof SESSION_STATUSES,
  common: Record<string, unknown>,
): { timeColumn: string; data: Record<string, unknown> } {
  switch (status) {
    case "scheduled":
    case "missed":
      return {
        timeColumn: "scheduled_at",
        data: { ...common, therapistId: row.text("therapist_id"), scheduledAt: row.text("scheduled_at") },
      };
    case "attended":
      return {
        timeColumn: "occurred_at",
        data: {
          ...common,
          therapistId: row.text("therapist_id"),
          occurredAt: row.text("occurred_at"),
          durationMinutes: row.number("duration_minutes"),
        },
      };
    case "cancelled": {
      const cancelledAt = row.text("cancelled_at");
      return {
        timeColumn: cancelledAt === undefined ? "scheduled_at" : "cancelled_at",
        data: { ...common, cancelledBy: row.text("cancelled_by")?.toLowerCase(), cancelledAt },
      };
    }
  }
}

export function mapSession(row: RowReader, source: string): Mapped {
  const sessionId = row.need("session_id");
  const clientId = row.need("client_id");
  const programmeId = row.need("programme_id");
  const status = row.need("status")?.toLowerCase();
  if (status === undefined) return { candidates: [], errors: row.errors };
  if (!Object.hasOwn(SESSION_STATUSES, status)) {
    row.errors.push({ line: row.line, column: "status", reason: "must be scheduled, attended, missed or cancelled" });
    return { candidates: [], errors: row.errors };
  }
  const known = status as keyof typeof SESSION_STATUSES;
  const { timeColumn, data } = sessionData(row, known, { sessionId, clientId, programmeId });
  const time = row.text(timeColumn);
  if (time === undefined) {
    row.errors.push({
      line: row.line,
      column: timeColumn,
      reason: status === "cancelled" ? "is required (or cancelled_at)" : `is required for a ${status} session`,
    });
  }
  return {
    candidates: [
      {
        event: cloudEvent("sessions", SESSION_STATUSES[known], [sessionId, status], {
          source,
          time,
          subject: clientId,
          data,
        }),
        locate: locator(row.line, SESSION_COLUMNS, { time: timeColumn, subject: "client_id" }),
      },
    ],
    errors: row.errors,
  };
}

export function mapReadiness(row: RowReader, source: string): Mapped {
  const clientId = row.need("client_id");
  const programmeId = row.need("programme_id");
  const measuredAt = row.need("measured_at");
  const instrument = row.need("instrument")?.toLowerCase();
  const min = row.number("scale_min");
  const max = row.number("scale_max");
  const scores: Record<string, unknown> = {};
  const columns: Record<string, string> = {
    ...CLIENT_FIELDS,
    measuredAt: "measured_at",
    instrument: "instrument",
    sessionId: "session_id",
  };
  for (const [column, item] of Object.entries(READINESS_ITEMS)) {
    const value = row.number(column);
    columns[`scores.${item}`] = column;
    columns[`scores.${item}.min`] = "scale_min";
    columns[`scores.${item}.max`] = "scale_max";
    if (value !== undefined) scores[item] = defined({ value, min, max });
  }
  return {
    candidates: [
      {
        event: cloudEvent("readiness", "evoke.readiness.measured", [clientId, programmeId, measuredAt, instrument], {
          source,
          time: measuredAt,
          subject: clientId,
          data: { clientId, programmeId, measuredAt, instrument, sessionId: row.text("session_id"), scores },
        }),
        locate: locator(row.line, columns, { time: "measured_at", subject: "client_id" }),
      },
    ],
    errors: row.errors,
  };
}

export function mapRating(row: RowReader, source: string): Mapped {
  const sessionId = row.need("session_id");
  const coderId = row.need("coder_id");
  const ratedAt = row.need("rated_at");
  const columns: Record<string, string> = {
    sessionId: "session_id",
    coderId: "coder_id",
    ratedAt: "rated_at",
    segmentMinutes: "segment_minutes",
  };
  const globals: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(RATING_GLOBALS)) {
    globals[field] = row.number(column, true);
    columns[`globals.${field}`] = column;
  }
  const counts: Record<string, unknown> = {};
  for (const [column, field] of Object.entries(RATING_COUNTS)) {
    counts[field] = row.number(column, true);
    columns[`counts.${field}`] = column;
  }
  return {
    candidates: [
      {
        event: cloudEvent("ratings", "evoke.fidelity.rated", [sessionId, coderId, ratedAt], {
          source,
          time: ratedAt,
          subject: row.text("client_id"),
          data: {
            sessionId,
            coderId,
            instrument: "MITI-4.2.1",
            globals,
            counts,
            segmentMinutes: row.number("segment_minutes", true),
            ratedAt,
          },
        }),
        locate: locator(row.line, columns, { time: "rated_at", subject: "client_id" }),
      },
    ],
    errors: row.errors,
  };
}

/** Columns every row of one transcript must agree on. */
const SESSION_LEVEL = ["client_id", "therapist_id", "programme_id", "occurred_at", "language", "change_goal"] as const;

/** The rows of one session's transcript, gathered while reading. */
export interface TranscriptRow {
  readonly line: number;
  readonly turn: number | undefined;
  readonly speaker: string | undefined;
  readonly text: string | undefined;
  readonly startMs: number | undefined;
  readonly endMs: number | undefined;
  readonly session: Readonly<Record<(typeof SESSION_LEVEL)[number], string | undefined>>;
}

export function readTranscriptRow(row: RowReader): TranscriptRow {
  return {
    line: row.line,
    turn: row.number("turn", true),
    speaker: row.need("speaker")?.toLowerCase(),
    text: row.raw("text") ?? row.need("text"),
    startMs: row.number("start_ms"),
    endMs: row.number("end_ms"),
    session: Object.fromEntries(SESSION_LEVEL.map((column) => [column, row.text(column)])) as TranscriptRow["session"],
  };
}

/** One session's rows (already free of conversion errors) → its evoke.transcript.submitted. */
export function mapTranscript(sessionId: string, rows: readonly TranscriptRow[], source: string): Mapped {
  const errors: RowError[] = [];
  const first = rows[0];
  if (first === undefined) return { candidates: [], errors };
  for (const row of rows.slice(1)) {
    for (const column of SESSION_LEVEL) {
      if (row.session[column] !== first.session[column]) {
        errors.push({
          line: row.line,
          column,
          reason: `must be the same on every row of the session (it differs from line ${first.line})`,
        });
      }
    }
  }
  const ordered = [...rows].sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0));
  ordered.forEach((row, index) => {
    const previous = ordered[index - 1];
    if (previous !== undefined && previous.turn === row.turn)
      errors.push({ line: row.line, column: "turn", reason: `repeats the turn of line ${previous.line}` });
  });
  const { client_id: clientId, therapist_id, programme_id, occurred_at, language, change_goal } = first.session;
  const event = cloudEvent("transcripts", "evoke.transcript.submitted", [sessionId], {
    source,
    time: occurred_at,
    subject: clientId,
    data: {
      sessionId,
      clientId,
      therapistId: therapist_id,
      programmeId: programme_id,
      language,
      changeGoal: change_goal,
      utterances: ordered.map((row) =>
        defined({ speaker: row.speaker, text: row.text, startMs: row.startMs, endMs: row.endMs }),
      ),
    },
  });
  const sessionColumns = locator(
    first.line,
    {
      sessionId: "session_id",
      clientId: "client_id",
      therapistId: "therapist_id",
      programmeId: "programme_id",
      language: "language",
      changeGoal: "change_goal",
    },
    { time: "occurred_at", subject: "client_id" },
  );
  const UTTERANCE_COLUMNS: Record<string, string> = {
    speaker: "speaker",
    text: "text",
    startMs: "start_ms",
    endMs: "end_ms",
  };
  return {
    candidates: [
      {
        event,
        locate: (field) => {
          // data.utterances[3].text → the line of the fourth turn, column text.
          const match = /^data\.utterances\[(\d+)\](?:\.(\w+))?/.exec(field);
          if (match === null) return sessionColumns(field);
          const row = ordered[Number(match[1])];
          const line = row?.line ?? first.line;
          const column = match[2] === undefined ? undefined : UTTERANCE_COLUMNS[match[2]];
          return column === undefined ? { line } : { line, column };
        },
      },
    ],
    errors,
  };
}
