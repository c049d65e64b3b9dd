import { sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { ROLLUP_PERIODS, type RollupPeriod } from "../schema/rollups.ts";
import { DERIVED_STATE_LOCK } from "./erasure.ts";
import { rebuildFidelityRollups } from "./fidelity-rollups.ts";
import { changeMilestoneRollups, changeSurvivalRollups } from "./retention-rollups.ts";

/*
 * `pnpm mi rollups rebuild`: every rollup recomputed from the facts, for a database that has
 * facts but no (or stale) rollups: one migrated from before the rollups existed, or one loaded
 * straight into PostgreSQL (bench/support/organisation.ts).
 */

export interface RollupRebuildProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * Rebuilds every fidelity rollup from session_fidelity, one month of sessions per transaction
 * (holding the sink's DERIVED_STATE_LOCK, so a concurrent batch rebuilds its keys before or
 * after, never half-way): for existing databases and after loading facts directly. Idempotent.
 */
export async function rebuildAllFidelityRollups(
  db: Database,
  onProgress?: (progress: RollupRebuildProgress) => void,
): Promise<{ readonly rows: number }> {
  const months = await db.execute<{ month: string }>(sql`
    select distinct date_trunc('month', session_time at time zone 'UTC')::text as month
    from session_fidelity order by 1`);
  // Rows left from months with no sessions any more (none, unless facts were deleted directly).
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
    await tx.execute(sql`
      delete from fidelity_rollups r where not exists (
        select 1 from session_fidelity f
        where f.session_time >= (r.period_start at time zone 'UTC')
          and f.session_time < ((r.period_start + ('1 ' || r.period)::interval) at time zone 'UTC'))`);
  });
  let done = 0;
  for (const { month } of months) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
      // The month's sessions and the weeks they fall in (a week may straddle two months: it is
      // rebuilt with each, from all its sessions, so the result is the same).
      const keys = await tx.execute<{
        period: RollupPeriod;
        period_start: string;
        programme_id: string;
        therapist_id: string;
      }>(
        sql`
        select distinct p.period, date_trunc(p.period, f.session_time at time zone 'UTC')::text as period_start,
          coalesce(f.programme_id, '') as programme_id, coalesce(f.therapist_id, '') as therapist_id
        from session_fidelity f cross join unnest(${sql.param([...ROLLUP_PERIODS])}::text[]) as p(period)
        where f.session_time >= (${month}::timestamp at time zone 'UTC')
          and f.session_time < ((${month}::timestamp + interval '1 month') at time zone 'UTC')`,
      );
      await rebuildFidelityRollups(
        tx,
        keys.map((row) => ({
          period: row.period,
          periodStart: row.period_start,
          programmeId: row.programme_id,
          therapistId: row.therapist_id,
        })),
      );
    });
    done += 1;
    onProgress?.({ done, total: months.length });
  }
  const [count] = await db.execute<{ rows: number }>(sql`select count(*)::int as rows from fidelity_rollups`);
  return { rows: count?.rows ?? 0 };
}

/**
 * Rebuilds every retention rollup from client_outcomes: retention_rollups one enrolment month per
 * transaction (its rows deleted and recomputed), then retention_survival_rollups in one, each
 * under the sink's DERIVED_STATE_LOCK like the fidelity rebuild. Idempotent. Progress counts the
 * months and the survival table as one more step.
 */
export async function rebuildAllRetentionRollups(
  db: Database,
  onProgress?: (progress: RollupRebuildProgress) => void,
): Promise<{ readonly rows: number }> {
  // Each month as its first and next month's first day, in days since 1970-01-01 (whole numbers:
  // enrolled_day >= n exactly when its day, floor(enrolled_day), is).
  const months = await db.execute<{ month: string; first: number; next: number }>(sql`
    select m.month::text as month, (m.month - date '1970-01-01') as first,
      ((m.month + interval '1 month')::date - date '1970-01-01') as next
    from (select distinct (date_trunc('month', to_timestamp(floor(enrolled_day) * 86400) at time zone 'UTC'))::date as month
      from client_outcomes) m
    order by m.month`);
  const total = months.length + 1;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
    // Rows of months with no episodes any more (none, unless facts were deleted directly).
    await tx.execute(sql`
      delete from retention_rollups r
      where r.enrolled_month <> all(${sql.param(months.map((row) => row.month))}::text[]::date[])`);
  });
  let done = 0;
  for (const { month, first, next } of months) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
      await tx.execute(sql`delete from retention_rollups where enrolled_month = ${month}::date`);
      await changeMilestoneRollups(tx, sql`o.enrolled_day >= ${first}::float8 and o.enrolled_day < ${next}::float8`, 1);
    });
    done += 1;
    onProgress?.({ done, total });
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
    await tx.execute(sql`delete from retention_survival_rollups`);
    await changeSurvivalRollups(tx, sql`true`, 1);
  });
  onProgress?.({ done: total, total });
  const [count] = await db.execute<{ rows: number }>(sql`
    select ((select count(*) from retention_rollups) + (select count(*) from retention_survival_rollups))::int as rows`);
  return { rows: count?.rows ?? 0 };
}

/**
 * Recounts processed_event_minutes from the ledger (what the sink keeps with every claim), in
 * one transaction under the sink's DERIVED_STATE_LOCK. Idempotent; returns the rows written.
 */
export async function rebuildProcessedEventMinutes(db: Database): Promise<{ readonly rows: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
    await tx.execute(sql`delete from processed_event_minutes`);
    const written = await tx.execute<{ minute: string }>(sql`
      insert into processed_event_minutes (minute, event_type, events)
      select date_trunc('minute', processed_at, 'UTC'), event_type, count(*)::int
      from processed_events
      group by 1, 2
      returning minute`);
    return { rows: written.length };
  });
}
