import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Signed-in dashboard browsers, for token and OpenID Connect sign-ins alike. The cookie holds a
 * random secret; the row is keyed by its SHA-256 hash, so a database dump cannot be replayed as
 * a cookie. Rows live in PostgreSQL so sessions survive restarts and are shared by replicas.
 */
export const dashboardSessions = pgTable(
  "dashboard_sessions",
  {
    /** base64url SHA-256 of the cookie's secret; never the secret itself. */
    sessionHash: text().primaryKey(),
    /** Shown as "signed in as" and written to the audit trail: a token's name or an OIDC subject. */
    principalName: text().notNull(),
    /** "token" or "oidc". */
    principalKind: text().notNull(),
    role: text().notNull(),
    /** The programmes the session may see; null: every programme. */
    programmeIds: text().array(),
    /** The id token, kept to end the provider's session on sign-out (id_token_hint); null for tokens. */
    idToken: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The absolute end: created + SESSION_ABSOLUTE_HOURS, whatever the activity. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index().on(table.expiresAt)],
);
