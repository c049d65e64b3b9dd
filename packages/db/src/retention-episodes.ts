import { type SQL, sql } from "drizzle-orm";
import { RETENTION_ROLLUP_MILESTONES } from "./schema/retention-rollups.ts";
import { FIDELITY_ROLLUP_THRESHOLDS } from "./schema/rollups.ts";

/*
 * What an enrolment episode (a client_outcomes row) is for retention, defined once: the
 * analytics read it as of a day (asOf), and the retention rollups (schema/retention-rollups.ts)
 * store it as of "long after", which is what it stays once it has ended and is older than the
 * last milestone. Both the sink's maintenance and the analytics' correction of the rollups use
 * these expressions, so the two paths cannot drift apart.
 */

/** The parts of the retention definitions (mi-domain.md section 5) an episode's status depends on. */
export interface EpisodeDefinitions {
  readonly dropoutReasons: readonly string[];
  readonly completionReasons: readonly string[];
  /** Days without an attended session after which an undischarged client counts as dropped out; null: never. */
  readonly inactivityDays: number | null;
}

/** The definitions the retention rollups are counted with (the analytics' defaults). */
export const RETENTION_ROLLUP_DEFINITIONS: EpisodeDefinitions = {
  dropoutReasons: ["dropped_out"],
  completionReasons: ["completed"],
  inactivityDays: null,
};

/** The instant an episode's status is taken at: a date, or long after every episode ended. */
export type StatusAt = Date | "long after";

/**
 * A CTE `episodes`: the rows of `source` (client_outcomes columns, plus any the caller adds)
 * enrolled by `at`, with `as_of_day`, `dropout_day` (null: no dropout), `follow_up_day`
 * (discharge, re-enrolment or `at`, whichever is first) and `ended_otherwise` (discharged neither
 * as dropout nor as completion), all as days since enrolment like client_outcomes' own *_day
 * columns: comparing numbers is far cheaper than timestamp arithmetic per episode per query.
 */
export function episodeStatus(source: SQL, definitions: EpisodeDefinitions, at: StatusAt): SQL {
  const asOfDay = at === "long after" ? sql`'infinity'::float8` : sql`${at.getTime() / 86_400_000}::float8`;
  return sql`
    episodes as (
      select timed.*,
        least(coalesce(timed.discharged_day, 'infinity'), coalesce(timed.next_enrolled_day, 'infinity'),
              timed.as_of_day) as follow_up_day,
        case
          when timed.discharge_reason = any(${sql.param([...definitions.dropoutReasons])}::text[]) then timed.discharged_day
          when ${definitions.inactivityDays}::float8 is not null and timed.discharged_day is null
            and timed.next_enrolled_day is null
            and coalesce(timed.last_attended_day, 0) + ${definitions.inactivityDays}::float8 <= timed.as_of_day
            then coalesce(timed.last_attended_day, 0)
        end as dropout_day
      from (
        select src.*, ${asOfDay} - src.enrolled_day as as_of_day,
          src.discharged_at is not null
            and not (src.discharge_reason = any(${sql.param([...definitions.dropoutReasons, ...definitions.completionReasons])}::text[]))
            as ended_otherwise
        from ${source} src
        where src.enrolled_day <= ${asOfDay}
      ) timed
    )`;
}

/** Over `episodes` rows aliased `e`: whether day `days` is observable for the episode. */
export function observableAt(days: SQL): SQL {
  return sql`(e.as_of_day >= ${days}
    and not (e.ended_otherwise and e.follow_up_day < ${days})
    and not (e.next_enrolled_day is not null and e.discharged_day is null and e.next_enrolled_day < ${days}))`;
}

/** Over `episodes` rows aliased `e`: retained at day `days` (attended on or after it, or not dropped out before it). */
export function retainedAt(days: SQL): SQL {
  return sql`(e.last_attended_day >= ${days} or e.dropout_day is null or e.dropout_day >= ${days})`;
}

/** Over `episodes` rows aliased `e`: dropped out before day `days`. */
export function droppedBefore(days: SQL): SQL {
  return sql`coalesce(e.dropout_day < ${days}, false)`;
}

/** Over `episodes` rows aliased `e`: whether the follow-up ended in dropout (else it is censored). */
export const SURVIVAL_EVENT = sql`coalesce(e.dropout_day <= e.follow_up_day, false)`;

/** Over `episodes` rows aliased `e`: the whole days from enrolment to dropout or censoring. */
export const SURVIVAL_DAYS = sql`greatest(0, floor(least(coalesce(e.dropout_day, e.follow_up_day), e.follow_up_day)))::int`;

/**
 * Over client_outcomes rows aliased `o`: the day (since 1970-01-01, with the fraction) the episode
 * ended, by discharge or re-enrolment; null while in care. client_outcomes_end_day_index is on
 * exactly this expression.
 */
export const EPISODE_END_DAY = sql`(o.enrolled_day + least(o.discharged_day, o.next_enrolled_day))`;

/** Over client_outcomes rows aliased `o`: the fidelity level of a mean score at the rollups' thresholds. */
function level(column: "technical_mean" | "relational_mean", thresholds: { fair: number; good: number }): SQL {
  return sql.raw(`case when o.coded_sessions = 0 then -1 when o.${column} >= ${thresholds.good} then 2
    when o.${column} >= ${thresholds.fair} then 1 else 0 end`);
}

/** Over client_outcomes rows aliased `o`: the columns `technical_level` and `relational_level` (see the schema). */
export const FIDELITY_LEVELS = sql`${level("technical_mean", FIDELITY_ROLLUP_THRESHOLDS.technical)}::smallint as technical_level,
  ${level("relational_mean", FIDELITY_ROLLUP_THRESHOLDS.relational)}::smallint as relational_level`;

/** The statistic columns of retention_rollups after its key, in table order. */
export const RETENTION_STATISTIC_COLUMNS: readonly string[] = [
  "episodes",
  "attended_sum",
  "attended_sum_squares",
  ...RETENTION_ROLLUP_MILESTONES.flatMap((days) => [`eligible${days}`, `retained${days}`, `dropped${days}`]),
];

/**
 * Over `episodes` rows aliased `e`, grouped: the select-list of the statistics in the order of
 * RETENTION_STATISTIC_COLUMNS, each times `sign` (1 to add the episodes, -1 to take them away).
 * Whole numbers only, so adding and taking away are exact in any order.
 */
export function retentionStatistics(sign: 1 | -1 = 1): SQL {
  const values = [
    sql`count(*)`,
    sql`coalesce(sum(e.sessions_attended::bigint), 0)`,
    sql`coalesce(sum(e.sessions_attended::bigint * e.sessions_attended), 0)`,
    ...RETENTION_ROLLUP_MILESTONES.flatMap((days) => {
      const at = sql`${days}::float8`;
      return [
        sql`count(*) filter (where ${observableAt(at)})`,
        sql`count(*) filter (where ${observableAt(at)} and ${retainedAt(at)})`,
        sql`count(*) filter (where ${observableAt(at)} and ${droppedBefore(at)})`,
      ];
    }),
  ];
  return sql.join(
    values.map((value, i) => {
      const column = RETENTION_STATISTIC_COLUMNS[i] as string;
      const type = sql.raw(column.startsWith("attended_") ? "bigint" : "int");
      return sql`(${sign}::${type} * ${value})::${type} as ${sql.raw(column)}`;
    }),
    sql`, `,
  );
}
