import { createHash, randomBytes } from "node:crypto";
import type { DashboardRole } from "@evoke/config";
import {
  closeDashboardSession,
  type Database,
  openDashboardSession,
  purgeDashboardSessions,
  touchDashboardSession,
} from "@evoke/db";
import type { Principal } from "./principal.ts";

/*
 * Browser sessions, after signing in with a token or with the organisation's identity provider.
 * The cookie holds a random secret; PostgreSQL keeps only its hash (dashboard_sessions), so a
 * dump cannot be replayed as a cookie, a restart signs nobody out and replicas share sessions.
 * Every request checks both limits: idle (since the last request) and absolute (since sign-in).
 */

export const SESSION_COOKIE = "evoke_session";

export interface SessionLimits {
  /** Signed out after this long without a request (SESSION_IDLE_MINUTES). */
  readonly idleSeconds: number;
  /** Signed out this long after signing in, whatever the activity (SESSION_ABSOLUTE_HOURS). */
  readonly absoluteSeconds: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 60 * 60 };

/** What a session remembers beside the principal. */
export interface OpenedSession {
  readonly principal: Principal;
  /** The id token, for the provider's end_session_endpoint on sign-out (OIDC only). */
  readonly idToken: string | null;
}

export const sessionHash = (secret: string) => createHash("sha256").update(secret).digest("base64url");

export class SessionStore {
  readonly #db: Database;
  readonly limits: SessionLimits;

  constructor(db: Database, limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
    this.#db = db;
    this.limits = limits;
  }

  /** The cookie's Max-Age: the absolute limit (the idle one is enforced by the server). */
  get lifetimeSeconds(): number {
    return this.limits.absoluteSeconds;
  }

  /** Starts a session and returns the secret for the cookie. */
  async open(principal: Principal, idToken: string | null = null): Promise<string> {
    const secret = randomBytes(32).toString("base64url");
    await openDashboardSession(this.#db, {
      sessionHash: sessionHash(secret),
      principalName: principal.name,
      principalKind: principal.via ?? "token",
      role: principal.role,
      programmeIds: principal.programmeIds,
      idToken,
      lifetimeSeconds: this.limits.absoluteSeconds,
    });
    // Abandoned sessions (nobody signed out) are swept at each sign-in, not left to pile up.
    await purgeDashboardSessions(this.#db, this.limits.idleSeconds);
    return secret;
  }

  async find(secret: string | undefined): Promise<OpenedSession | null> {
    if (secret === undefined || secret === "") return null;
    const row = await touchDashboardSession(this.#db, sessionHash(secret), this.limits.idleSeconds);
    return row === null ? null : toSession(row);
  }

  /** Ends the session (sign-out); returns what it was, for the audit row and the provider's sign-out. */
  async close(secret: string | undefined): Promise<OpenedSession | null> {
    if (secret === undefined || secret === "") return null;
    const row = await closeDashboardSession(this.#db, sessionHash(secret));
    return row === null ? null : toSession(row);
  }
}

function toSession(row: {
  principalName: string;
  principalKind: string;
  role: string;
  programmeIds: readonly string[] | null;
  idToken: string | null;
}): OpenedSession {
  const principal: Principal = {
    name: row.principalName,
    role: row.role as DashboardRole,
    programmeIds: row.programmeIds,
    ...(row.principalKind === "oidc" ? { via: "oidc" as const } : {}),
  };
  return { principal, idToken: row.idToken };
}
