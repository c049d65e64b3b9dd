import { index, pgTable, primaryKey, real, text, timestamp } from "drizzle-orm/pg-core";

/** One row per item of a readiness measure, with the scale it was given on. */
export const readinessMeasurements = pgTable(
  "readiness_measurements",
  {
    source: text().notNull(),
    eventId: text().notNull(),
    item: text().notNull(),
    clientId: text().notNull(),
    programmeId: text().notNull(),
    sessionId: text(),
    instrument: text().notNull(),
    value: real().notNull(),
    scaleMin: real().notNull(),
    scaleMax: real().notNull(),
    measuredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.source, table.eventId, table.item] }),
    index().on(table.clientId, table.instrument, table.item, table.measuredAt),
    index().on(table.programmeId),
  ],
);
