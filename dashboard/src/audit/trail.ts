import { type AuditOutcome, type Database, recordAccessAudit } from "@evoke/db";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { DashboardEnv } from "../env.ts";

/*
 * The access audit trail: who read transcripts, drilled into sessions, exported client-level
 * rows, signed in (or failed to), changed annotations, erased a client, imported a CSV file or read this trail. A row is written
 * before the answer leaves, and a failed write fails the request: no answer without its row.
 * Rows hold pseudonymous ids only, never text from a transcript or a query.
 */

export const AUDIT_ACTIONS = [
  "sign-in",
  "sign-out",
  "token.rejected",
  "session.read",
  "transcript.read",
  "client-rows.export",
  "annotation.add",
  "annotation.delete",
  "audit.read",
  "client.erase",
  "data.import",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What a handler learns about the request while it runs (a session's client once loaded, say). */
export interface AuditNote {
  action: AuditAction;
  programmeId: string | null;
  sessionId: string | null;
  clientId: string | null;
  /**
   * Counts of what the action changed, never content (client.erase: rows removed per table;
   * data.import: rows read, valid and rejected, events sent).
   */
  details?: Record<string, number>;
}

/** A note about nobody's data yet (sign-ins; routes fill it in as they learn). */
export function auditNote(action: AuditAction): AuditNote {
  return { action, programmeId: null, sessionId: null, clientId: null };
}

const ID = /^[A-Za-z0-9_.:~-]{1,128}$/;

/** An id as given, or null when it is not shaped like one (so free text never reaches the trail). */
export function auditableId(value: string | null | undefined): string | null {
  return value !== undefined && value !== null && ID.test(value) ? value : null;
}

/** 401 is a failed sign-in, 403 and 404 are refusals (404 hides what is out of scope), other errors failures. */
export function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return "allowed";
  if (status === 403 || status === 404) return "denied";
  return "failed";
}

/** Who a row names when no principal is signed in (an OIDC user the role map refused). */
export interface AuditActor {
  readonly name: string | null;
  readonly kind: "oidc";
}

/** Writes the request's row; its principal when there is one, else `actor`, else an unidentified one. */
export async function writeAuditRow(
  db: Database,
  c: Context<DashboardEnv>,
  note: AuditNote,
  status: number,
  actor?: AuditActor,
): Promise<void> {
  const principal = c.get("principal");
  await recordAccessAudit(db, {
    actor: principal?.name ?? actor?.name ?? null,
    actorKind: principal?.via ?? (principal === undefined ? (actor?.kind ?? "none") : "token"),
    role: principal?.role ?? null,
    action: note.action,
    method: c.req.method,
    // The path carries ids only (the query string, which could hold anything, is left out).
    path: c.req.path.slice(0, 256),
    programmeId: note.programmeId,
    sessionId: note.sessionId,
    clientId: note.clientId,
    outcome: outcomeOf(status),
    status,
    requestId: c.get("requestId") ?? null,
    details: note.details ?? null,
  });
}

/**
 * Audits every request through the route it guards, whatever its answer: the handler may fill in
 * the note (c.get("audit")) as it learns whose data it returned. Refusals are recorded too.
 */
export function audited(db: Database, action: AuditAction) {
  return createMiddleware<DashboardEnv>(async (c, next) => {
    const note: AuditNote = {
      ...auditNote(action),
      programmeId: auditableId(c.req.query("programme")),
      sessionId: auditableId(c.req.param("sessionId")),
    };
    c.set("audit", note);
    // Hono turns a handler's error into its problem response before control returns here.
    await next();
    await writeAuditRow(db, c, note, c.res.status);
  });
}
