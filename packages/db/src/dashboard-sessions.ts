import { and, eq, gt, lte, or, sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { dashboardSessions } from "./schema/dashboard-sessions.ts";

/*
 * Dashboard browser sessions. Callers pass the hash of the cookie's secret, never the secret.
 * A session ends at the first of: its absolute expiry, `idleSeconds` without a request, sign-out.
 */

export interface NewDashboardSession {
  readonly sessionHash: string;
  readonly principalName: string;
  readonly principalKind: "token" | "oidc";
  readonly role: string;
  readonly programmeIds: readonly string[] | null;
  readonly idToken: string | null;
  /** Seconds from now (the database's clock, as the checks use) to the absolute expiry. */
  readonly lifetimeSeconds: number;
}

export interface DashboardSessionRow {
  readonly principalName: string;
  readonly principalKind: string;
  readonly role: string;
  readonly programmeIds: readonly string[] | null;
  readonly idToken: string | null;
}

export async function openDashboardSession(db: Database, session: NewDashboardSession): Promise<void> {
  const { lifetimeSeconds, ...values } = session;
  await db.insert(dashboardSessions).values({
    ...values,
    programmeIds: session.programmeIds?.slice() ?? null,
    expiresAt: sql`now() + make_interval(secs => ${lifetimeSeconds})`,
  });
}

/**
 * The live session with this hash, its last-seen time moved to now in the same statement; null
 * when there is none, or it has expired or been idle too long (such a row is deleted).
 */
export async function touchDashboardSession(
  db: Database,
  sessionHash: string,
  idleSeconds: number,
): Promise<DashboardSessionRow | null> {
  const idle = sql`${dashboardSessions.lastSeenAt} + make_interval(secs => ${idleSeconds})`;
  const [row] = await db
    .update(dashboardSessions)
    .set({ lastSeenAt: sql`now()` })
    .where(
      and(
        eq(dashboardSessions.sessionHash, sessionHash),
        gt(dashboardSessions.expiresAt, sql`now()`),
        gt(idle, sql`now()`),
      ),
    )
    .returning({
      principalName: dashboardSessions.principalName,
      principalKind: dashboardSessions.principalKind,
      role: dashboardSessions.role,
      programmeIds: dashboardSessions.programmeIds,
      idToken: dashboardSessions.idToken,
    });
  if (row !== undefined) return row;
  await db.delete(dashboardSessions).where(eq(dashboardSessions.sessionHash, sessionHash));
  return null;
}

/** Ends a session (sign-out); returns it as it was, or null if there was none. */
export async function closeDashboardSession(db: Database, sessionHash: string): Promise<DashboardSessionRow | null> {
  const [row] = await db.delete(dashboardSessions).where(eq(dashboardSessions.sessionHash, sessionHash)).returning({
    principalName: dashboardSessions.principalName,
    principalKind: dashboardSessions.principalKind,
    role: dashboardSessions.role,
    programmeIds: dashboardSessions.programmeIds,
    idToken: dashboardSessions.idToken,
  });
  return row ?? null;
}

/** Deletes sessions past their absolute expiry or idle for longer than `idleSeconds`; returns how many. */
export async function purgeDashboardSessions(db: Database, idleSeconds: number): Promise<number> {
  const rows = await db
    .delete(dashboardSessions)
    .where(
      or(
        lte(dashboardSessions.expiresAt, sql`now()`),
        lte(sql`${dashboardSessions.lastSeenAt} + make_interval(secs => ${idleSeconds})`, sql`now()`),
      ),
    )
    .returning({ sessionHash: dashboardSessions.sessionHash });
  return rows.length;
}
