import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Who read or changed what in the dashboard: transcript and session reads, exports of
 * client-level rows, sign-ins, annotation changes, reads of this trail. Append-only: a trigger
 * (migration 0005) refuses UPDATE, DELETE and TRUNCATE except inside `purge_access_audit(days)`,
 * the retention purge. Holds pseudonymous ids only: never transcript text, never query text.
 */
export const accessAudit = pgTable(
  "access_audit",
  {
    auditId: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The token's name (later also an OIDC subject); null when nobody could be identified. */
    actor: text(),
    /** What `actor` names: "token", or "none" for a failed sign-in. */
    actorKind: text().notNull(),
    role: text(),
    /** One of the closed set in the dashboard's audit module ("transcript.read", "sign-in", ...). */
    action: text().notNull(),
    method: text().notNull(),
    /** The request path without its query string. */
    path: text().notNull(),
    programmeId: text(),
    sessionId: text(),
    clientId: text(),
    outcome: text().notNull(),
    status: integer().notNull(),
    requestId: text(),
    /** Numbers about what the action changed, never content (client.erase: rows removed per table). */
    details: jsonb().$type<Record<string, number>>(),
  },
  (table) => [
    index().on(table.at),
    index().on(table.actor, table.at),
    index().on(table.action, table.at),
    check("access_audit_outcome", sql`${table.outcome} in ('allowed', 'denied', 'failed')`),
  ],
);
