import { index, integer, pgTable, primaryKey, real, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Session status history: every scheduled / attended / missed / cancelled event is a fact; the
 * session row is rebuilt from its facts (latest event time wins, ties broken by a fixed order),
 * so the same set of events gives the same session whatever order they arrived in.
 */

export const SESSION_STATUSES = ["scheduled", "attended", "missed", "cancelled"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const sessionEvents = pgTable(
  "session_events",
  {
    source: text().notNull(),
    eventId: text().notNull(),
    sessionId: text().notNull(),
    status: text({ enum: SESSION_STATUSES }).notNull(),
    eventTime: timestamp({ withTimezone: true }).notNull(),
    clientId: text().notNull(),
    therapistId: text(),
    programmeId: text().notNull(),
    scheduledAt: timestamp({ withTimezone: true }),
    occurredAt: timestamp({ withTimezone: true }),
    durationMinutes: real(),
    cancelledBy: text(),
  },
  (table) => [primaryKey({ columns: [table.source, table.eventId] }), index().on(table.sessionId)],
);

export const sessions = pgTable(
  "sessions",
  {
    sessionId: text().primaryKey(),
    clientId: text().notNull(),
    therapistId: text(),
    programmeId: text().notNull(),
    status: text({ enum: SESSION_STATUSES }).notNull(),
    /** The time of the event that decided `status`. */
    statusTime: timestamp({ withTimezone: true }).notNull(),
    scheduledAt: timestamp({ withTimezone: true }),
    occurredAt: timestamp({ withTimezone: true }),
    durationMinutes: real(),
    cancelledBy: text(),
    /** How many status events the session has had. */
    eventCount: integer().notNull(),
  },
  (table) => [
    index().on(table.programmeId, table.occurredAt),
    index().on(table.therapistId, table.occurredAt),
    index().on(table.clientId, table.programmeId),
  ],
);
