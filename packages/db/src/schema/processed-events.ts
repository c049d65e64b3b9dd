import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The idempotency ledger. A CloudEvent is identified by its `source` and `id`; a consumer
 * records the pair in the same transaction as the writes the event causes, so a redelivered
 * event finds its row and has no second effect.
 */
export const processedEvents = pgTable(
  "processed_events",
  {
    source: text().notNull(),
    eventId: text().notNull(),
    eventType: text().notNull(),
    processedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.source, table.eventId] }),
    // No index on processed_at: the health page reads processed_event_minutes instead, and
    // each index here is one more insert per event for the sink.
  ],
);

/**
 * How many events the ledger gained per minute (of `processed_at`, UTC) and CloudEvents type:
 * kept by whoever adds to the ledger, in the same transaction, for the pipeline health page,
 * which would otherwise count a day of ledger rows (millions, for a busy organisation) on every
 * refresh.
 */
export const processedEventMinutes = pgTable(
  "processed_event_minutes",
  {
    minute: timestamp({ withTimezone: true }).notNull(),
    eventType: text().notNull(),
    events: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.minute, table.eventType] })],
);
