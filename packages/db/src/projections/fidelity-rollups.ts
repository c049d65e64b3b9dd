import { type SQL, sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { FIDELITY_ROLLUP_THRESHOLDS, ROLLUP_PERIODS, type RollupPeriod } from "../schema/rollups.ts";

/*
 * Keeps fidelity_rollups (schema/rollups.ts) a function of session_fidelity: whenever session
 * fidelity rows change, the rollup rows of every key they were in before and are in after
 * (programme × therapist × week and × month) are recomputed from the facts. Recomputing the whole
 * key, rather than adding a delta, is what keeps them exactly-once and order-independent, like
 * the other rebuilds of the sink.
 */

/** A rollup row's key, less the coding kind (a rebuild recomputes every kind of the key). */
export interface FidelityRollupKey {
  readonly period: RollupPeriod;
  /** The period's first instant, UTC, as PostgreSQL's text for a timestamp. */
  readonly periodStart: string;
  /** '' for unknown, as stored. */
  readonly programmeId: string;
  readonly therapistId: string;
}

/** The summary scores kept, by column (fixed names: safe as raw SQL), with their thresholds. */
const ROLLUP_SCORES = [
  ["technical", FIDELITY_ROLLUP_THRESHOLDS.technical],
  ["relational", FIDELITY_ROLLUP_THRESHOLDS.relational],
  ["percent_complex_reflections", FIDELITY_ROLLUP_THRESHOLDS.percentComplexReflections],
  ["reflection_to_question", FIDELITY_ROLLUP_THRESHOLDS.reflectionToQuestion],
] as const;

/** The statistic columns of fidelity_rollups after the key and `kind`, in table order. */
export const ROLLUP_STATISTIC_COLUMNS: readonly string[] = [
  "sessions",
  ...ROLLUP_SCORES.flatMap(([column]) =>
    ["n", "sum", "sum_squares", "fair", "good"].map((suffix) => `${column}_${suffix}`),
  ),
];

/**
 * The select-list of the statistics over session_fidelity rows aliased `alias`, in the order of
 * ROLLUP_STATISTIC_COLUMNS: what a rollup row holds, so the analytics can add the facts of a
 * period's ragged edges to the rollup rows of its whole weeks or months. Sums are taken exactly
 * (numeric, of each score as float8) and rounded once: a float sum depends on the order rows are read
 * in, and the rollups must not depend on the order events arrived in. `exact: false` sums in
 * float8 (several times faster), for a reader that needs the answer, not a stored row.
 */
export function fidelityStatistics(alias: string, options: { readonly exact: boolean } = { exact: true }): SQL {
  const parts = ROLLUP_SCORES.map(([column, { fair, good }]) => {
    const value = `${alias}.${column}::float8`;
    const summed = options.exact ? `${alias}.${column}::float8::numeric` : value;
    return (
      `count(${alias}.${column})::int, coalesce(sum(${summed}), 0)::float8, ` +
      `coalesce(sum(${summed} * ${summed}), 0)::float8, ` +
      `(count(*) filter (where ${value} >= ${fair}::float8))::int, ` +
      `(count(*) filter (where ${value} >= ${good}::float8))::int`
    );
  });
  return sql.raw(["count(*)::int", ...parts].join(",\n      "));
}

/** A touched key `t` with the scores of its sessions `f`. */
const keyedColumns = sql.raw(
  [
    "t.period",
    "t.period_start",
    "t.programme_id",
    "t.therapist_id",
    "f.kind",
    ...ROLLUP_SCORES.map(([column]) => `f.${column}`),
  ].join(", "),
);

const columnList = sql.raw(
  ["period", "period_start", "programme_id", "therapist_id", "kind", ...ROLLUP_STATISTIC_COLUMNS].join(", "),
);

/** The rollup keys, at both grains, of the given sessions' fidelity rows as they stand now. */
export async function fidelityRollupKeysOf(
  tx: Transaction,
  sessionIds: readonly string[],
): Promise<FidelityRollupKey[]> {
  if (sessionIds.length === 0) return [];
  const rows = await tx.execute<{
    period: RollupPeriod;
    period_start: string;
    programme_id: string;
    therapist_id: string;
  }>(
    sql`
    select distinct p.period, date_trunc(p.period, f.session_time at time zone 'UTC')::text as period_start,
      coalesce(f.programme_id, '') as programme_id, coalesce(f.therapist_id, '') as therapist_id
    from session_fidelity f cross join unnest(${sql.param([...ROLLUP_PERIODS])}::text[]) as p(period)
    where f.session_id = any(${sql.param([...sessionIds])}::text[])`,
  );
  return rows.map((row) => ({
    period: row.period,
    periodStart: row.period_start,
    programmeId: row.programme_id,
    therapistId: row.therapist_id,
  }));
}

/**
 * Recomputes the rollup rows of the given keys from session_fidelity (a key with no sessions
 * left loses its rows). Set-based: one delete and one insert however many keys.
 */
export async function rebuildFidelityRollups(tx: Transaction, keys: readonly FidelityRollupKey[]): Promise<void> {
  if (keys.length === 0) return;
  const unique = [...new Map(keys.map((key) => [JSON.stringify(key), key])).values()];
  // Every array as text[]: postgres.js cannot serialise a timestamp[] of strings.
  const touched = sql`(select distinct k.period, k.period_start::timestamp as period_start, k.programme_id, k.therapist_id
    from unnest(
      ${sql.param(unique.map((key) => key.period))}::text[],
      ${sql.param(unique.map((key) => key.periodStart))}::text[],
      ${sql.param(unique.map((key) => key.programmeId))}::text[],
      ${sql.param(unique.map((key) => key.therapistId))}::text[]
    ) as k(period, period_start, programme_id, therapist_id))`;
  await tx.execute(sql`
    delete from fidelity_rollups r using ${touched} t
    where r.period = t.period and r.period_start = t.period_start
      and r.programme_id = t.programme_id and r.therapist_id = t.therapist_id`);
  // Each key's sessions by the index that finds them: a known therapist's (therapist_id,
  // session_time), else a known programme's (programme_id, session_time), else session_time.
  // Lateral, so that each key reads only its own period's rows: as a join, the planner
  // (which cannot see how many keys the arrays hold) merged every session of the touched
  // therapists against the keys and filtered most of them away. `offset 0` keeps each lateral
  // subquery from being flattened back into that join.
  const inPeriod = sql`f.session_time >= (t.period_start at time zone 'UTC')
    and f.session_time < ((t.period_start + ('1 ' || t.period)::interval) at time zone 'UTC')`;
  const scores = sql.raw(["f.kind", ...ROLLUP_SCORES.map(([column]) => `f.${column}`)].join(", "));
  await tx.execute(sql`
    with touched as ${touched},
    keyed as (
      select ${keyedColumns} from touched t cross join lateral (
        select ${scores} from session_fidelity f
        where f.therapist_id = t.therapist_id and coalesce(f.programme_id, '') = t.programme_id and ${inPeriod}
        offset 0
      ) f
      where t.therapist_id <> ''
      union all
      select ${keyedColumns} from touched t cross join lateral (
        select ${scores} from session_fidelity f
        where f.therapist_id is null and f.programme_id = t.programme_id and ${inPeriod}
        offset 0
      ) f
      where t.therapist_id = '' and t.programme_id <> ''
      union all
      select ${keyedColumns} from touched t cross join lateral (
        select ${scores} from session_fidelity f
        where f.therapist_id is null and f.programme_id is null and ${inPeriod}
        offset 0
      ) f
      where t.therapist_id = '' and t.programme_id = ''
    )
    insert into fidelity_rollups (${columnList})
    select f.period, f.period_start, f.programme_id, f.therapist_id, f.kind, ${fidelityStatistics("f")}
    from keyed f
    group by f.period, f.period_start, f.programme_id, f.therapist_id, f.kind`);
}
