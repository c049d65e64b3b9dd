import {
  type Database,
  EPISODE_END_DAY,
  episodeStatus,
  FIDELITY_LEVELS,
  RETENTION_ROLLUP_DEFINITIONS,
  RETENTION_STATISTIC_COLUMNS,
  retentionStatistics,
  SURVIVAL_DAYS,
  SURVIVAL_EVENT,
  schema,
} from "@evoke/db";
import { and, type SQL, sql } from "drizzle-orm";
import { rows } from "./estimates.ts";
import type { EpisodeFilter } from "./filters.ts";
import type { AttendanceRow, MilestoneRow, RetentionDefinitions, SurvivalRow } from "./retention.ts";

/*
 * Retention from the rollups the sink keeps (schema/retention-rollups.ts in @evoke/db), giving
 * the figures the facts give. Every figure depends on the day the analysis looks from (asOf), but
 * an episode's contribution stops depending on it once the episode has ended and is older than
 * the last milestone: that is what the rollups store. So, as of asOf:
 *
 *   figures = rollups of the enrolment months old enough (every milestone observable, with two
 *             days' margin so float rounding cannot matter)
 *           − what the rollups hold for the episodes of those months that end after about asOf
 *             (found by client_outcomes_end_day_index; ended episodes whose end asOf has not reached)
 *           + those episodes and the later enrolments, read from client_outcomes as of asOf.
 *
 * The survival rollups (ended episodes, all months) are corrected the same way, and the episodes
 * still in care (censored at asOf, to the day) come from the facts. Counts are whole numbers, so
 * the sums and differences are exact; means and variances follow from exact sums.
 */

export type RetentionSource = "rollups" | "facts";

/** The figures of each group before they are assembled (retention.ts). */
export interface RetentionRows {
  readonly attendance: readonly AttendanceRow[];
  readonly milestones: readonly MilestoneRow[];
  readonly survival: readonly SurvivalRow[];
}

/**
 * A group of episodes as rollup keys: `grp` names the group and `where` selects it, both over
 * the columns programme_id, referral_source, technical_level and relational_level (a rollup
 * row's, or a client_outcomes row's with its levels), unqualified.
 */
export interface RollupSelection {
  readonly grp: SQL;
  readonly where: SQL;
}

const MILESTONES: readonly number[] = schema.RETENTION_ROLLUP_MILESTONES;
const DAY_MS = 86_400_000;

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value)) && b.every((value) => a.includes(value));
}

/** Whether the rollups were counted with these definitions and keep these milestones. */
export function rollupsHoldDefinitions(definitions: RetentionDefinitions, milestoneDays: readonly number[]): boolean {
  const kept = RETENTION_ROLLUP_DEFINITIONS;
  return (
    definitions.inactivityDays === null &&
    sameSet(definitions.dropoutReasons, kept.dropoutReasons) &&
    sameSet(definitions.completionReasons, kept.completionReasons) &&
    milestoneDays.every((days) => MILESTONES.includes(days))
  );
}

/**
 * The filter as a condition on rollup keys, or null when the rollups do not keep what it filters
 * on (therapist, enrolment period, focus, tags; a programme when `programmes` is false, as the
 * survival rollups are not kept per programme; an empty referral source, which the rollups store
 * for "unknown").
 */
export function rollupCondition(filter: EpisodeFilter, options: { readonly programmes: boolean }): SQL | null {
  const { programmeIds, referralSources, ...others } = filter;
  if (Object.values(others).some((value) => value !== undefined)) return null;
  if (programmeIds !== undefined && !options.programmes) return null;
  if (referralSources?.includes("")) return null;
  return (
    and(
      programmeIds === undefined ? undefined : sql`programme_id = any(${sql.param([...programmeIds])}::text[])`,
      referralSources === undefined
        ? undefined
        : sql`referral_source = any(${sql.param([...referralSources])}::text[])`,
    ) ?? sql`true`
  );
}

type Statistics = Record<string, number>;

function combine(into: Map<string, Statistics>, found: readonly Statistics[], sign: 1 | -1): void {
  for (const row of found) {
    const grp = String(row.grp);
    const sum = into.get(grp) ?? Object.fromEntries(RETENTION_STATISTIC_COLUMNS.map((column) => [column, 0]));
    for (const column of RETENTION_STATISTIC_COLUMNS) sum[column] = (sum[column] ?? 0) + sign * Number(row[column]);
    into.set(grp, sum);
  }
}

function outOfStep(): Error {
  return new Error(
    "The retention rollups are out of step with client_outcomes (a negative count): run `pnpm mi rollups rebuild`.",
  );
}

export async function retentionRowsFromRollups(
  db: Database,
  selections: readonly RollupSelection[],
  options: {
    readonly asOf: Date;
    readonly definitions: RetentionDefinitions;
    readonly milestoneDays: readonly number[];
    readonly curves: boolean;
  },
): Promise<RetentionRows> {
  const { asOf, definitions } = options;
  const asOfDay = asOf.getTime() / DAY_MS;
  // The first enrolment month read from the facts: every earlier enrolment is more than the last
  // milestone plus two days before asOf.
  const oldest = new Date((Math.floor(asOfDay) - Math.max(...MILESTONES) - 2) * DAY_MS);
  const cutDay = Date.UTC(oldest.getUTCFullYear(), oldest.getUTCMonth(), 1) / DAY_MS;
  const cutMonth = new Date(cutDay * DAY_MS).toISOString().slice(0, 10);
  // Ended episodes whose end is within a day of asOf or later may still be in care as of asOf.
  const endsLate = sql`${EPISODE_END_DAY} > ${asOfDay - 1}::float8`;

  /** The client_outcomes rows (aliased `o`) matching `where`, with their levels and group, per selection. */
  const facts = (where: SQL) =>
    sql`(${sql.join(
      selections.map(
        (selection) => sql`select x.*, ${selection.grp} as grp
          from (select o.*, ${FIDELITY_LEVELS} from client_outcomes o where ${where}) x where ${selection.where}`,
      ),
      sql` union all `,
    )})`;
  const ofRollups = (table: SQL, where: SQL) =>
    sql`(${sql.join(
      selections.map(
        (selection) => sql`select ${selection.grp} as grp, r.* from ${table} r where ${where} and ${selection.where}`,
      ),
      sql` union all `,
    )})`;
  const oldEndingLate = sql`o.enrolled_day < ${cutDay}::float8 and ${endsLate}`;
  const statistics = (status: SQL) =>
    sql`with ${status} select e.grp, ${retentionStatistics(1)} from episodes e group by e.grp`;
  const survival = (status: SQL) => sql`with ${status}
    select e.grp, ${SURVIVAL_DAYS} as days, ${SURVIVAL_EVENT} as event, count(*)::int as episodes
    from episodes e group by 1, 2, 3`;

  const [kept, asOfNow, keptForLate, keptSurvival, endedNow, inCareNow, keptSurvivalForLate] = await Promise.all([
    rows<Statistics>(
      db,
      sql`select grp, ${sql.raw(RETENTION_STATISTIC_COLUMNS.map((column) => `sum(${column})::float8 as ${column}`).join(", "))}
        from ${ofRollups(sql`retention_rollups`, sql`r.enrolled_month < ${cutMonth}::date`)} k group by grp`,
    ),
    rows<Statistics>(
      db,
      statistics(
        episodeStatus(
          facts(
            sql`(o.enrolled_day >= ${cutDay}::float8 and o.enrolled_day <= ${asOfDay}::float8) or (${oldEndingLate})`,
          ),
          definitions,
          asOf,
        ),
      ),
    ),
    rows<Statistics>(db, statistics(episodeStatus(facts(oldEndingLate), RETENTION_ROLLUP_DEFINITIONS, "long after"))),
    options.curves
      ? rows<SurvivalRow>(
          db,
          sql`select grp, days, event, sum(episodes)::int as episodes
            from ${ofRollups(sql`retention_survival_rollups`, sql`true`)} k group by 1, 2, 3`,
        )
      : Promise.resolve([]),
    // Ended after about asOf: their observation as of asOf.
    options.curves
      ? rows<SurvivalRow>(
          db,
          survival(episodeStatus(facts(sql`o.enrolled_day <= ${asOfDay}::float8 and ${endsLate}`), definitions, asOf)),
        )
      : Promise.resolve([]),
    // Still in care (no discharge, no later enrolment): censored at asOf. This is what
    // episodeStatus, SURVIVAL_DAYS and SURVIVAL_EVENT give such an episode under the rollups'
    // definitions (follow-up to asOf, no dropout day), spelt out so that it reads only the
    // columns of client_outcomes_in_care_index: an index-only scan, not a third of the table.
    options.curves
      ? rows<SurvivalRow>(
          db,
          sql`select x.grp, greatest(0, floor(${asOfDay}::float8 - x.enrolled_day))::int as days, false as event,
              count(*)::int as episodes
            from (${sql.join(
              selections.map(
                (selection) => sql`select y.enrolled_day, ${selection.grp} as grp
                  from (select o.enrolled_day, o.programme_id, o.referral_source, ${FIDELITY_LEVELS}
                    from client_outcomes o
                    where o.discharged_day is null and o.next_enrolled_day is null
                      and o.enrolled_day <= ${asOfDay}::float8) y
                  where ${selection.where}`,
              ),
              sql` union all `,
            )}) x
            group by 1, 2, 3`,
        )
      : Promise.resolve([]),
    // Ended episodes the survival rollups hold that asOf has not reached: enrolled after it, or ending after about it.
    options.curves
      ? rows<SurvivalRow>(
          db,
          survival(
            episodeStatus(
              facts(sql`${EPISODE_END_DAY} is not null and (o.enrolled_day > ${asOfDay}::float8 or ${endsLate})`),
              RETENTION_ROLLUP_DEFINITIONS,
              "long after",
            ),
          ),
        )
      : Promise.resolve([]),
  ]);

  const totals = new Map<string, Statistics>();
  combine(totals, kept, 1);
  combine(totals, asOfNow, 1);
  combine(totals, keptForLate, -1);
  const attendance: AttendanceRow[] = [];
  const milestones: MilestoneRow[] = [];
  for (const [grp, sums] of totals) {
    const episodes = sums.episodes ?? 0;
    if (episodes < 0) throw outOfStep();
    if (episodes === 0) continue;
    const sum = sums.attended_sum ?? 0;
    const squares = sums.attended_sum_squares ?? 0;
    // n·Σx² − (Σx)² exactly (whole numbers), then one division: as close as var_samp's numeric.
    const spread = BigInt(episodes) * BigInt(squares) - BigInt(sum) * BigInt(sum);
    attendance.push({
      grp,
      total: false,
      episodes,
      mean: sum / episodes,
      variance: episodes < 2 ? null : Number(spread) / (episodes * (episodes - 1)),
    });
    for (const days of options.milestoneDays) {
      milestones.push({
        grp,
        total: false,
        days,
        eligible: sums[`eligible${days}`] ?? 0,
        retained: sums[`retained${days}`] ?? 0,
        dropped: sums[`dropped${days}`] ?? 0,
      });
    }
  }

  const observations = new Map<string, SurvivalRow>();
  const add = (found: readonly SurvivalRow[], sign: 1 | -1) => {
    for (const row of found) {
      const key = `${row.grp}\n${row.days}\n${row.event}`;
      const sum = observations.get(key) ?? { ...row, total: false, episodes: 0 };
      observations.set(key, { ...sum, episodes: sum.episodes + sign * row.episodes });
    }
  };
  add(keptSurvival, 1);
  add(endedNow, 1);
  add(inCareNow, 1);
  add(keptSurvivalForLate, -1);
  const survivalRows = [...observations.values()].filter((row) => {
    if (row.episodes < 0) throw outOfStep();
    return row.episodes > 0;
  });
  return { attendance, milestones, survival: survivalRows };
}
