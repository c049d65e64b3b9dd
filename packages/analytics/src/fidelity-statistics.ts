import { fidelityStatistics, schema } from "@evoke/db";
import type { Thresholds } from "@evoke/mi-coding";
import { and, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { type SessionScope, sessionCondition } from "./filters.ts";
import { SUMMARY_SCORES, type SummaryScore, storedThreshold } from "./scores.ts";

/*
 * Fidelity's sufficient statistics per group, read from the rollups the sink keeps
 * (fidelity_rollups: per programme × therapist × kind × week and × month) instead of scanning
 * session_fidelity. A period filter is answered exactly: its whole weeks or months from the
 * rollups, its ragged edges (the days before the first whole one and after the last) from the
 * facts. Means come back as sum / n and variances from the sums of squares, which equal the
 * facts' avg() and var_samp() within float rounding.
 */

/** Where an analytic reads fidelity from: the rollups (the default where they answer) or the facts. */
export type FidelitySource = "rollups" | "facts";

export type StatisticsGrouping = "programme" | "therapist" | "week" | "month" | "quarter" | "all";

const rollups = schema.fidelityRollups;
const fidelity = schema.sessionFidelity;

/** The rollup's column name of a summary score (fixed names: safe as raw SQL). */
const ROLLUP_COLUMN: Record<SummaryScore, string> = {
  technical: "technical",
  relational: "relational",
  percentComplexReflections: "percent_complex_reflections",
  reflectionToQuestion: "reflection_to_question",
};

/** Whether the rollups hold the fair and good counts at these thresholds (the manual's). */
export function rollupsHold(thresholds: Thresholds): boolean {
  return SUMMARY_SCORES.every((score) => {
    const wanted = storedThreshold(score, thresholds);
    const kept = schema.FIDELITY_ROLLUP_THRESHOLDS[score];
    return wanted.fair === kept.fair && wanted.good === kept.good;
  });
}

/** The rollups where asked (or not said) and they hold the thresholds' counts; else the facts. */
export function sourceOf(asked: FidelitySource | undefined, thresholds: Thresholds): FidelitySource {
  return asked === "facts" || !rollupsHold(thresholds) ? "facts" : "rollups";
}

/** The first instant of the week (Monday) or month of `time`, UTC. */
function floorTo(grain: "week" | "month", time: Date): Date {
  if (grain === "month") return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), 1));
  const day = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * 86_400_000);
}

function ceilTo(grain: "week" | "month", time: Date): Date {
  const floor = floorTo(grain, time);
  if (floor.getTime() === time.getTime()) return floor;
  return grain === "month"
    ? new Date(Date.UTC(floor.getUTCFullYear(), floor.getUTCMonth() + 1, 1))
    : new Date(floor.getTime() + 7 * 86_400_000);
}

/** A UTC instant as a timestamp-without-time-zone literal, as period_start stores it. */
const utc = (time: Date) => time.toISOString().slice(0, 23).replace("T", " ");

function rollupKey(by: StatisticsGrouping): SQL {
  switch (by) {
    case "programme":
      return sql`nullif(${rollups.programmeId}, '')`;
    case "therapist":
      return sql`nullif(${rollups.therapistId}, '')`;
    case "all":
      return sql`'all'`;
    case "quarter":
      return sql`date_trunc('quarter', ${rollups.periodStart})`;
    default:
      return sql`${rollups.periodStart}`;
  }
}

/** A session_fidelity row's group under `by` (the facts path, shared with fidelity.ts). */
export function factKey(by: StatisticsGrouping): SQL {
  switch (by) {
    case "programme":
      return sql`${fidelity.programmeId}`;
    case "therapist":
      return sql`${fidelity.therapistId}`;
    case "all":
      return sql`'all'`;
    default:
      return sql`date_trunc(${by}, ${fidelity.sessionTime} at time zone 'UTC')`;
  }
}

/**
 * One row per group: `group_key` (programme or therapist id, the period's start as a timestamp,
 * or 'all'), `sessions`, `human_rated`, and per summary score `<score>_n`, `_mean`, `_var`,
 * `_fair`, `_good` (the names scoreSummaries reads), `_sum`, `_sum_squares`. Groups without
 * sessions are absent.
 */
export function groupedFidelityStatistics(scope: SessionScope, by: StatisticsGrouping): SQL {
  const grain = by === "week" ? "week" : "month";
  // The whole periods in [from, before): [wholeFrom, wholeBefore); the rest comes from the facts.
  let wholeFrom = scope.from === undefined ? undefined : ceilTo(grain, scope.from);
  const wholeBefore = scope.before === undefined ? undefined : floorTo(grain, scope.before);
  if (wholeFrom !== undefined && wholeBefore !== undefined && wholeFrom > wholeBefore) wholeFrom = wholeBefore;

  const rollupCondition = and(
    sql`${rollups.period} = ${grain}`,
    scope.programmeIds === undefined ? undefined : inArray(rollups.programmeId, [...scope.programmeIds]),
    scope.therapistIds === undefined ? undefined : inArray(rollups.therapistId, [...scope.therapistIds]),
    scope.kind === undefined ? undefined : sql`${rollups.kind} = ${scope.kind}`,
    wholeFrom === undefined ? undefined : sql`${rollups.periodStart} >= ${utc(wholeFrom)}::timestamp`,
    wholeBefore === undefined ? undefined : sql`${rollups.periodStart} < ${utc(wholeBefore)}::timestamp`,
  );
  const statisticColumns = sql.raw(
    [
      "sessions",
      ...SUMMARY_SCORES.flatMap((score) =>
        ["n", "sum", "sum_squares", "fair", "good"].map((suffix) => `${ROLLUP_COLUMN[score]}_${suffix}`),
      ),
    ].join(", "),
  );
  const fromRollups = sql`select ${rollupKey(by)} as group_key,
      case when ${rollups.kind} = 'human' then ${rollups.sessions} else 0 end as human_rated, ${statisticColumns}
    from ${rollups} where ${rollupCondition}`;

  // Each edge as a bounded range of session_time, so each is a range scan of its index (the
  // scope's own from and before still apply: within one month the edges overlap).
  const { from, before } = scope;
  const edges = or(
    from === undefined || wholeFrom === undefined
      ? undefined
      : and(gte(fidelity.sessionTime, from), lt(fidelity.sessionTime, wholeFrom)),
    before === undefined || wholeBefore === undefined
      ? undefined
      : and(gte(fidelity.sessionTime, wholeBefore), lt(fidelity.sessionTime, before)),
  );
  const fromFacts =
    edges === undefined
      ? undefined
      : sql`select ${factKey(by)} as group_key, (count(*) filter (where ${fidelity.kind} = 'human'))::int,
          ${fidelityStatistics("session_fidelity", { exact: false })}
        from ${fidelity} where ${sessionCondition(scope)} and (${edges}) group by 1`;

  const totals = sql.join(
    SUMMARY_SCORES.map((score) => {
      const column = (suffix: string) => sql.raw(`parts.${ROLLUP_COLUMN[score]}_${suffix}`);
      const name = (suffix: string) => sql.raw(`"${score}_${suffix}"`);
      const n = sql`sum(${column("n")})`;
      const total = sql`sum(${column("sum")})`;
      return sql`${n}::int as ${name("n")},
        (${total} / nullif(${n}, 0))::float8 as ${name("mean")},
        case when ${n} > 1 then greatest(0, (sum(${column("sum_squares")}) - ${total} * ${total} / ${n}) / (${n} - 1))::float8
        end as ${name("var")},
        sum(${column("fair")})::int as ${name("fair")},
        sum(${column("good")})::int as ${name("good")}`;
    }),
    sql`, `,
  );
  return sql`(
    select parts.group_key, sum(parts.sessions)::int as sessions, sum(parts.human_rated)::int as human_rated, ${totals}
    from (${fromRollups}${fromFacts === undefined ? sql`` : sql` union all ${fromFacts}`}) parts
    group by parts.group_key
  )`;
}
