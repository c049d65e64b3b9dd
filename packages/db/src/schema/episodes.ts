import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Enrolments and discharges are kept as the facts that arrived (one row per event); episodes of
 * care are derived from them (each enrolment, closed by the first discharge after it and before
 * the next enrolment) and rebuilt for the clients an event touches, so a discharge that arrives
 * before its enrolment simply waits in the facts until the enrolment comes.
 */

export const enrolmentEvents = pgTable(
  "enrolment_events",
  {
    source: text().notNull(),
    eventId: text().notNull(),
    clientId: text().notNull(),
    programmeId: text().notNull(),
    enrolledAt: timestamp({ withTimezone: true }).notNull(),
    referralSource: text(),
    focus: text(),
    tags: text().array().notNull().default([]),
  },
  (table) => [primaryKey({ columns: [table.source, table.eventId] }), index().on(table.clientId, table.programmeId)],
);

export const dischargeEvents = pgTable(
  "discharge_events",
  {
    source: text().notNull(),
    eventId: text().notNull(),
    clientId: text().notNull(),
    programmeId: text().notNull(),
    dischargedAt: timestamp({ withTimezone: true }).notNull(),
    reason: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.source, table.eventId] }), index().on(table.clientId, table.programmeId)],
);

export const episodes = pgTable(
  "episodes",
  {
    clientId: text().notNull(),
    programmeId: text().notNull(),
    enrolledAt: timestamp({ withTimezone: true }).notNull(),
    referralSource: text(),
    focus: text(),
    tags: text().array().notNull().default([]),
    dischargedAt: timestamp({ withTimezone: true }),
    dischargeReason: text(),
  },
  (table) => [
    primaryKey({ columns: [table.clientId, table.programmeId, table.enrolledAt] }),
    index().on(table.programmeId, table.enrolledAt),
  ],
);
