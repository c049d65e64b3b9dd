import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Notes QI teams pin to a date on the fidelity charts ("MI refresher training"), seen by every
 * user of the programme. Written by people, not derived from events: rebuilding the projections
 * never touches them.
 */
export const annotations = pgTable(
  "annotations",
  {
    annotationId: uuid().primaryKey().defaultRandom(),
    /** The programme the note is about; null: the whole organisation. */
    programmeId: text(),
    /** The day it marks (UTC midnight). */
    day: timestamp({ withTimezone: true }).notNull(),
    label: text().notNull(),
    /** The dashboard token's name that wrote it. */
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.programmeId, table.day)],
);
