import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Database, Transaction } from "../client.ts";
import { rebuildSessionFidelity } from "./codings.ts";
import { fidelityRollupKeysOf, rebuildFidelityRollups } from "./fidelity-rollups.ts";
import { pairsOfSessions, rebuildOutcomes } from "./outcomes.ts";
import { changeRetentionRollups } from "./retention-rollups.ts";
import { rebuildSessions } from "./sessions.ts";

/*
 * Erasure on request (GDPR art. 17): a client's facts and every row derived from them leave the
 * history in one transaction, and a tombstone (erased_clients) keeps the sink from projecting
 * the client's events again when Kafka redelivers or replays them.
 */

/** Rows removed per table (table name → count). */
export type ErasureCounts = Record<string, number>;

export interface ErasureResult {
  readonly clientId: string;
  /** False when the client had already been erased (the call then removed nothing new). */
  readonly newlyErased: boolean;
  readonly erasedAt: string;
  readonly erasedBy: string;
  readonly removed: ErasureCounts;
}

/**
 * One PostgreSQL advisory lock, held from the rebuilds to the commit, so that concurrent
 * transactions (partitions recorded in parallel, several sink instances) rebuild one after
 * another: each rebuild then sees every fact committed before it, and the last to commit has
 * seen them all. The fact inserts, most of the work, still run in parallel. (A lock per key
 * would serialise less but could exhaust the shared lock table on large batches.) An erasure
 * holds it too.
 */
export const DERIVED_STATE_LOCK = 7_415_202_611;

/**
 * Every sink transaction holds this lock shared (sinks do not wait for each other) from before
 * its tombstone check to its commit; an erasure holds it exclusively. So an erasure waits for
 * the batches in flight, and a batch that starts meanwhile waits for the erasure and then sees
 * its tombstone: no batch can check before and insert after.
 */
export const ERASURE_LOCK = 7_415_202_612;

/** The client an event names: `data.clientId`, or the subject (human ratings carry it there). */
export function clientOf(event: EvokeEvent): string | undefined {
  const { clientId } = event.data as { clientId?: unknown };
  if (typeof clientId === "string") return clientId;
  return event.subject ?? undefined;
}

const sessionOf = (event: EvokeEvent): string | undefined => {
  const { sessionId } = event.data as { sessionId?: unknown };
  return typeof sessionId === "string" ? sessionId : undefined;
};

/**
 * The events, among these (already claimed) ones, that name an erased client, or a session of
 * one (a human rating may carry only its session).
 */
export async function erasedAmong(tx: Transaction, events: readonly EvokeEvent[]): Promise<Set<EvokeEvent>> {
  const defined = (ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => id !== undefined))];
  const clientIds = defined(events.map(clientOf));
  const sessionIds = defined(events.map(sessionOf));
  if (clientIds.length === 0 && sessionIds.length === 0) return new Set();
  const rows = await tx.execute<{ client_id: string; session_ids: string[] }>(sql`
    select client_id, session_ids from erased_clients
    where client_id = any(${sql.param(clientIds)}::text[]) or session_ids && ${sql.param(sessionIds)}::text[]`);
  if (rows.length === 0) return new Set();
  const clients = new Set(rows.map((row) => row.client_id));
  const sessions = new Set(rows.flatMap((row) => row.session_ids));
  return new Set(events.filter((event) => clients.has(clientOf(event) ?? "") || sessions.has(sessionOf(event) ?? "")));
}

/**
 * The tables holding a client's rows, facts first then derived rows, each with the condition
 * that selects the client's rows (`$c`: the client id; `$s`: the client's session ids, so that
 * codings and ratings filed under the session without a client id go too).
 */
const CLIENT_ROWS: readonly (readonly [table: string, where: string])[] = [
  ["session_codings", "client_id = $c or session_id = any($s)"],
  ["session_fidelity", "client_id = $c or session_id = any($s)"],
  ["transcripts", "client_id = $c"],
  ["session_events", "client_id = $c"],
  ["sessions", "client_id = $c"],
  ["readiness_measurements", "client_id = $c"],
  ["readiness_changes", "client_id = $c"],
  ["client_outcomes", "client_id = $c"],
  ["enrolment_events", "client_id = $c"],
  ["discharge_events", "client_id = $c"],
  ["episodes", "client_id = $c"],
  ["clients", "client_id = $c"],
];

/**
 * Erases a client: removes their enrolments, episodes, sessions, transcripts, codings (with
 * utterance codes), readiness measures, human ratings and the rollups they fed, records the
 * tombstone, and rebuilds any session another client's facts still describe, the way the sink
 * does. Returns undefined for a client the history has never known (neither rows nor tombstone);
 * erasing twice is harmless (the second call removes nothing and says so).
 */
export async function eraseClient(
  db: Database,
  request: { readonly clientId: string; readonly erasedBy: string },
): Promise<ErasureResult | undefined> {
  const { clientId, erasedBy } = request;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ERASURE_LOCK})`);
    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
    const [known] = await tx.execute<{ listed: boolean; erased: boolean }>(sql`
      select exists (select 1 from clients where client_id = ${clientId}) as listed,
        exists (select 1 from erased_clients where client_id = ${clientId}) as erased`);
    if (known === undefined || (!known.listed && !known.erased)) return undefined;

    const sessionRows = await tx.execute<{ session_id: string }>(sql`
      select session_id from session_events where client_id = ${clientId}
      union select session_id from sessions where client_id = ${clientId}
      union select session_id from transcripts where client_id = ${clientId}
      union select session_id from session_codings where client_id = ${clientId}
      union select session_id from session_fidelity where client_id = ${clientId}`);
    const sessionIds = sessionRows.map((row) => row.session_id);
    // The fidelity rollups the client's sessions fed, recomputed once their rows are gone.
    const rollupKeys = await fidelityRollupKeysOf(tx, sessionIds);

    // What the client's episodes added to the retention rollups goes before the episodes do.
    await changeRetentionRollups(tx, sql`o.client_id = ${clientId}`, -1);

    const removed: ErasureCounts = {};
    for (const [table, where] of CLIENT_ROWS) {
      const condition = sql.join(
        where
          .split(/(\$c|\$s)/)
          .map((part) =>
            part === "$c" ? sql`${clientId}` : part === "$s" ? sql`${sql.param(sessionIds)}::text[]` : sql.raw(part),
          ),
      );
      const rows = await tx.execute(sql`delete from ${sql.identifier(table)} where ${condition} returning 1`);
      removed[table] = rows.length;
    }

    // A session another client's events also name (a data error upstream) keeps those facts:
    // rebuild it and whatever it fed, as the sink does after a change.
    const remaining = await tx.execute<{ session_id: string }>(
      sql`select distinct session_id from session_events where session_id = any(${sql.param(sessionIds)}::text[])`,
    );
    const remainingIds = remaining.map((row) => row.session_id);
    await rebuildSessions(tx, remainingIds);
    await rebuildSessionFidelity(tx, remainingIds);
    await rebuildOutcomes(tx, await pairsOfSessions(tx, remainingIds));
    await rebuildFidelityRollups(tx, rollupKeys);

    const [tombstone] = await tx.execute<{ erased_at: Date | string; erased_by: string; inserted: boolean }>(sql`
      insert into erased_clients (client_id, erased_by, session_ids)
      values (${clientId}, ${erasedBy}, ${sql.param(sessionIds)}::text[])
      on conflict (client_id) do update set session_ids = (
        select coalesce(array_agg(distinct id order by id), '{}') from unnest(erased_clients.session_ids || excluded.session_ids) id)
      returning erased_at, erased_by, (xmax = 0) as inserted`);
    if (tombstone === undefined) throw new Error("the tombstone was not written");
    return {
      clientId,
      newlyErased: tombstone.inserted,
      erasedAt: new Date(tombstone.erased_at).toISOString(),
      erasedBy: tombstone.erased_by,
      removed,
    };
  });
}
