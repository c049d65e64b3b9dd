import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { accessAudit } from "./schema/access-audit.ts";

/*
 * The access audit trail: one row per audited dashboard request, written before its answer is
 * sent. Append-only in the database itself (migration 0005): only purge_access_audit removes rows.
 */

export type AuditOutcome = "allowed" | "denied" | "failed";

export interface AccessAuditEntry {
  readonly actor: string | null;
  readonly actorKind: string;
  readonly role: string | null;
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly programmeId: string | null;
  readonly sessionId: string | null;
  readonly clientId: string | null;
  readonly outcome: AuditOutcome;
  readonly status: number;
  readonly requestId: string | null;
  /** Counts only (client.erase: rows removed per table; data.import: rows and events). */
  readonly details?: Record<string, number> | null;
}

export interface AccessAuditRow extends AccessAuditEntry {
  readonly auditId: number;
  readonly at: string;
}

export interface AccessAuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly programmeId?: string;
  readonly from?: Date;
  /** Exclusive. */
  readonly before?: Date;
  /** Only rows older than this one (keyset paging: rows written meanwhile do not shift the pages). */
  readonly beforeId?: number;
  readonly limit: number;
  readonly offset: number;
}

export async function recordAccessAudit(db: Database, entry: AccessAuditEntry): Promise<void> {
  await db.insert(accessAudit).values(entry);
}

/** Newest first (by id: the order rows were written), with the total matching the filter. */
export async function listAccessAudit(
  db: Database,
  filter: AccessAuditFilter,
): Promise<{ rows: AccessAuditRow[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.actor !== undefined) conditions.push(eq(accessAudit.actor, filter.actor));
  if (filter.action !== undefined) conditions.push(eq(accessAudit.action, filter.action));
  if (filter.programmeId !== undefined) conditions.push(eq(accessAudit.programmeId, filter.programmeId));
  if (filter.from !== undefined) conditions.push(gte(accessAudit.at, filter.from));
  if (filter.before !== undefined) conditions.push(lt(accessAudit.at, filter.before));
  if (filter.beforeId !== undefined) conditions.push(lt(accessAudit.auditId, filter.beforeId));
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(accessAudit)
      .where(where)
      .orderBy(desc(accessAudit.auditId))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ total: sql<number>`count(*)::int` }).from(accessAudit).where(where),
  ]);
  return {
    rows: rows.map((row) => ({ ...row, outcome: row.outcome as AuditOutcome, at: row.at.toISOString() })),
    total: count?.total ?? 0,
  };
}

/** The retention purge (the database function, the only way rows leave). Returns how many went. */
export async function purgeAccessAudit(db: Database, retentionDays: number): Promise<number> {
  const [row] = await db.execute<{ removed: string }>(sql`select purge_access_audit(${retentionDays}::int) as removed`);
  return Number(row?.removed ?? 0);
}
