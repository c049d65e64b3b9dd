import { sql } from "drizzle-orm";
import { index, integer, json, pgTable, real, text, timestamp } from "drizzle-orm/pg-core";
import type { StoredUtteranceCode } from "../utterance-codes.ts";

/*
 * Every coding of a session: automatic ones (one per model version and transcript) and human
 * MITI ratings (one per coder). They coexist; `sessionFidelity` picks the one that counts: the
 * human rating where there is one, else the most recent automatic coding.
 */

export const CODING_KINDS = ["automatic", "human"] as const;
export type CodingKind = (typeof CODING_KINDS)[number];

const scores = {
  technical: real().notNull(),
  relational: real().notNull(),
  cultivatingChangeTalk: real().notNull(),
  softeningSustainTalk: real().notNull(),
  partnership: real().notNull(),
  empathy: real().notNull(),
  reflectionToQuestion: real(),
  percentComplexReflections: real(),
  percentChangeTalk: real(),
  givingInformation: integer().notNull(),
  persuade: integer().notNull(),
  persuadeWithPermission: integer().notNull(),
  question: integer().notNull(),
  simpleReflection: integer().notNull(),
  complexReflection: integer().notNull(),
  affirm: integer().notNull(),
  seekingCollaboration: integer().notNull(),
  emphasizingAutonomy: integer().notNull(),
  confront: integer().notNull(),
};

export const sessionCodings = pgTable(
  "session_codings",
  {
    /** The coded event's id (automatic), or "human:<source>:<id>" of the rating event. */
    codingId: text().primaryKey(),
    sessionId: text().notNull(),
    kind: text({ enum: CODING_KINDS }).notNull(),
    modelVersion: text(),
    coderId: text(),
    codedAt: timestamp({ withTimezone: true }).notNull(),
    /** The session's own ids as the coding event gave them (human ratings may lack them). */
    clientId: text(),
    therapistId: text(),
    programmeId: text(),
    sessionTime: timestamp({ withTimezone: true }).notNull(),
    thresholds: text(),
    volleys: integer(),
    segmentMinutes: real(),
    ...scores,
    /**
     * Automatic codings: each utterance's codes as [category, reflection, MITI code,
     * confidence] tuples in transcript order (see utterance-codes.ts). `json`, not `jsonb`:
     * kept verbatim for display and export, never queried inside, and cheaper to write.
     */
    utteranceCodes: json().$type<StoredUtteranceCode[]>(),
  },
  (table) => [
    // A session's codings, newest first per kind: "the latest automatic coding" is one index probe.
    index().on(table.sessionId, table.kind, table.codedAt),
    // Human ratings are a small sample: coder agreement starts from them.
    index("session_codings_human_session_id_index").on(table.sessionId).where(sql`${table.kind} = 'human'`),
    // The pipeline health page: which model versions coded recently.
    index().on(table.codedAt),
  ],
);

/** The coding that counts for each session, with the session's context for fast analytics. */
export const sessionFidelity = pgTable(
  "session_fidelity",
  {
    sessionId: text().primaryKey(),
    codingId: text().notNull(),
    kind: text({ enum: CODING_KINDS }).notNull(),
    clientId: text(),
    therapistId: text(),
    programmeId: text(),
    /** When the session happened: attended time if known, else the coding event's time. */
    sessionTime: timestamp({ withTimezone: true }).notNull(),
    /** The session's length as its attendance gave it (for per-minute rates). */
    durationMinutes: real(),
    ...scores,
  },
  (table) => [
    index().on(table.programmeId, table.sessionTime),
    index().on(table.therapistId, table.sessionTime),
    index().on(table.clientId),
    // The organisation-wide session list, newest first.
    index().on(table.sessionTime),
  ],
);
