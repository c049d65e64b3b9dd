import { index, integer, json, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Submitted transcripts. The text (`utterances`) is health data kept only for
 * TRANSCRIPT_RETENTION_DAYS, then removed (`textPurgedAt` says when); codes and summaries stay.
 */
export const transcripts = pgTable(
  "transcripts",
  {
    source: text().notNull(),
    eventId: text().notNull(),
    sessionId: text().notNull(),
    clientId: text().notNull(),
    therapistId: text().notNull(),
    programmeId: text().notNull(),
    language: text().notNull(),
    changeGoal: text(),
    utteranceCount: integer().notNull(),
    // json, not jsonb: stored verbatim, never queried inside, cheaper to write.
    utterances: json().$type<{ speaker: "therapist" | "client"; text: string; startMs?: number; endMs?: number }[]>(),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
    storedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    textPurgedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.source, table.eventId] }),
    index().on(table.sessionId),
    index().on(table.storedAt),
  ],
);
