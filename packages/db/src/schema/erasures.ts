import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Tombstones of erased clients (GDPR erasure on request): the pseudonymous id, when, and who
 * asked, and the ids of their sessions. The sink checks it before projecting any event that names the client, so a redelivered
 * or replayed event cannot bring an erased client back. Nothing else of the client is kept.
 */
export const erasedClients = pgTable("erased_clients", {
  clientId: text().primaryKey(),
  erasedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** The dashboard token's name, or the CLI's operator. */
  erasedBy: text().notNull(),
  /**
   * The client's session ids at erasure (pseudonymous too): a human rating may name only its
   * session, and must be skipped as well.
   */
  sessionIds: text().array().notNull().default([]),
});
