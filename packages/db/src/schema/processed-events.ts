import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

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
    // The pipeline health page counts recent events per hour.
    index().on(table.processedAt),
  ],
);
