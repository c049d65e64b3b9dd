import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Programmes, therapists and clients, as events name them. Any event that mentions an id
 * creates its row (so nothing waits for a registration that may arrive later); registration
 * events fill in the names, the latest event time winning whatever the arrival order.
 */

export const programmes = pgTable("programmes", {
  programmeId: text().primaryKey(),
  name: text(),
  /** Time of the event that set `name`: a later-timed registration wins, an older one is ignored. */
  nameTime: timestamp({ withTimezone: true }),
  firstSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const therapists = pgTable(
  "therapists",
  {
    therapistId: text().primaryKey(),
    programmeId: text(),
    displayName: text(),
    nameTime: timestamp({ withTimezone: true }),
    firstSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.programmeId)],
);

/** Pseudonymous clients: the id is all Evoke knows of a person. */
export const clients = pgTable("clients", {
  clientId: text().primaryKey(),
  firstSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
