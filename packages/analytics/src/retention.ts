import {
  type Database,
  droppedBefore,
  episodeStatus,
  observableAt,
  retainedAt,
  SURVIVAL_DAYS,
  SURVIVAL_EVENT,
  schema,
} from "@evoke/db";
import type { Thresholds } from "@evoke/mi-coding";
import {
  type KaplanMeierCurve,
  kaplanMeier,
  type LogRankTest,
  logRankTest,
  type SurvivalObservation,
} from "@evoke/statistics";
import { type SQL, sql } from "drizzle-orm";
import { type Mean, meanOf, rows, type Share, share } from "./estimates.ts";
import { type EpisodeFilter, episodeCondition } from "./filters.ts";
import {
  type RetentionRows,
  type RetentionSource,
  type RollupSelection,
  retentionRowsFromRollups,
  rollupCondition,
  rollupsHoldDefinitions,
} from "./retention-rollups.ts";
import { DEFAULT_THRESHOLDS } from "./scores.ts";

/*
 * Analytic 3, retention (mi-domain.md section 5). There is no single standard, so the
 * definitions are parameters, with these defaults:
 *  - dropout: a discharge with reason "dropped_out" (optionally also: no attended session for
 *    `inactivityDays`, dated at the last attended session);
 *  - retained at day d: attended a session on or after day d, or not dropped out before it.
 *    Completers count as retained. An episode counts towards day d only once d days have passed
 *    (as of `asOf`), and not if it ended before d for a reason that is neither dropout nor
 *    completion (a transfer, an administrative discharge): its outcome at d is unknown;
 *  - early dropout: dropout within `earlyDropoutDays` (TEDS: 30);
 *  - time to dropout: a Kaplan-Meier curve in days from enrolment; episodes still in care, or
 *    ended otherwise than by dropout, are censored when their follow-up ends.
 */

export interface RetentionDefinitions {
  readonly milestoneDays: readonly number[];
  readonly earlyDropoutDays: number;
  readonly dropoutReasons: readonly string[];
  readonly completionReasons: readonly string[];
  /** Days without an attended session after which an undischarged client counts as dropped out; null: never. */
  readonly inactivityDays: number | null;
}

export type { RetentionSource } from "./retention-rollups.ts";

export const DEFAULT_RETENTION_DEFINITIONS: RetentionDefinitions = {
  milestoneDays: [30, 60, 90],
  earlyDropoutDays: 30,
  dropoutReasons: ["dropped_out"],
  completionReasons: ["completed"],
  inactivityDays: null,
};

export interface RetentionGroup {
  readonly group: string;
  readonly episodes: number;
  readonly sessionsAttended: Mean;
  readonly earlyDropout: Share;
  readonly milestones: readonly { readonly days: number; readonly retained: Share }[];
  /** Time to dropout, in days from enrolment. */
  readonly survival: KaplanMeierCurve;
}

export interface RetentionComparison {
  readonly asOf: string;
  readonly definitions: RetentionDefinitions;
  /** All episodes together (absent when the groups overlap and totals were not asked for). */
  readonly overall?: RetentionGroup;
  readonly groups: readonly RetentionGroup[];
  /** Equal time to dropout across the groups (k-group log-rank); null with fewer than 2 groups. */
  readonly logRank: LogRankTest | null;
  /** With `pairwiseAgainst`: each other group against that one. */
  readonly pairwise?: readonly { readonly group: string; readonly against: string; readonly test: LogRankTest }[];
}

export interface RetentionOptions {
  readonly definitions?: RetentionDefinitions;
  /** The date the analysis looks from (default now): later events are not yet known. */
  readonly asOf?: Date;
  /**
   * "facts" reads every episode from client_outcomes; the default reads the retention rollups
   * where they can answer (the same figures) and the facts otherwise.
   */
  readonly source?: RetentionSource;
}

export interface AttendanceRow {
  grp: string;
  total: boolean;
  episodes: number;
  mean: number | null;
  variance: number | null;
}

export interface MilestoneRow {
  grp: string;
  total: boolean;
  days: number;
  eligible: number;
  retained: number;
  dropped: number;
}

export interface SurvivalRow {
  grp: string;
  total: boolean;
  days: number;
  event: boolean;
  episodes: number;
}

/** The attendance of disjoint groups together: pooled mean and variance from the groups'. */
function combinedAttendance(groups: readonly AttendanceRow[]): AttendanceRow {
  const episodes = groups.reduce((sum, group) => sum + group.episodes, 0);
  const counted = groups.filter((group) => group.mean !== null);
  const mean =
    episodes === 0 ? null : counted.reduce((sum, group) => sum + group.episodes * (group.mean ?? 0), 0) / episodes;
  const variance =
    episodes < 2 || mean === null
      ? null
      : counted.reduce(
          (sum, group) =>
            sum + (group.episodes - 1) * (group.variance ?? 0) + group.episodes * ((group.mean ?? 0) - mean) ** 2,
          0,
        ) /
        (episodes - 1);
  return { grp: OVERALL, total: true, episodes, mean, variance };
}

function combinedMilestones(groups: readonly MilestoneRow[]): MilestoneRow[] {
  const byDay = new Map<number, MilestoneRow>();
  for (const row of groups) {
    const sum = byDay.get(row.days) ?? {
      grp: OVERALL,
      total: true,
      days: row.days,
      eligible: 0,
      retained: 0,
      dropped: 0,
    };
    byDay.set(row.days, {
      ...sum,
      eligible: sum.eligible + row.eligible,
      retained: sum.retained + row.retained,
      dropped: sum.dropped + row.dropped,
    });
  }
  return [...byDay.values()];
}

interface GroupOptions extends RetentionOptions {
  /**
   * How `overall` is computed: "distinct" counts each episode once however many groups it is
   * in (overlapping cohorts; one more pass), "disjoint" adds up groups that do not overlap
   * (fidelity tiers), "none" leaves it out.
   */
  readonly totals?: "distinct" | "disjoint" | "none";
  /** The groups the log-rank test compares (default all). */
  readonly compareGroups?: readonly string[];
  /** Also test each other group against this one, two at a time. */
  readonly pairwiseAgainst?: string;
  /**
   * False: no time-to-dropout curves or log-rank tests (every group's `survival` is empty and
   * `logRank` null), which saves the second scan of the episodes, for readers of the milestones only.
   */
  readonly curves?: boolean;
}

const outcomes = schema.clientOutcomes;
export const OVERALL = "(all)";

/** The milestones a group's figures need: the definitions' and the early-dropout day. */
function milestoneDaysOf(definitions: RetentionDefinitions): number[] {
  return [...new Set([...definitions.milestoneDays, definitions.earlyDropoutDays])];
}

/**
 * Retention per group of episodes. `source` yields client_outcomes rows plus a text column
 * `grp`; an episode may appear in several groups (overlapping cohorts). Reads the facts.
 */
export async function retentionByGroup(
  db: Database,
  source: SQL,
  options: GroupOptions = {},
): Promise<RetentionComparison> {
  const definitions = options.definitions ?? DEFAULT_RETENTION_DEFINITIONS;
  const asOf = options.asOf ?? new Date();
  const rows = await rowsFromFacts(db, source, definitions, asOf, options);
  return retentionFromRows(rows, definitions, asOf, options);
}

/**
 * Retention per group, each group a selection of rollup keys (retention-rollups.ts): the same
 * figures as retentionByGroup over the episodes the selections describe. Groups must not overlap
 * when `totals` is "disjoint"; "distinct" totals are not available here.
 */
async function retentionBySelections(
  db: Database,
  selections: readonly RollupSelection[],
  options: GroupOptions & { readonly totals: "disjoint" | "none" },
): Promise<RetentionComparison> {
  const definitions = options.definitions ?? DEFAULT_RETENTION_DEFINITIONS;
  const asOf = options.asOf ?? new Date();
  const rows = await retentionRowsFromRollups(db, selections, {
    asOf,
    definitions,
    milestoneDays: milestoneDaysOf(definitions),
    curves: options.curves !== false,
  });
  return retentionFromRows(rows, definitions, asOf, options);
}

async function rowsFromFacts(
  db: Database,
  source: SQL,
  definitions: RetentionDefinitions,
  asOf: Date,
  options: GroupOptions,
): Promise<RetentionRows> {
  const episodes = episodeStatus(source, definitions, asOf);
  const totals = options.totals ?? "distinct";
  // Every group's episodes, then (for "distinct") all episodes once, as `total` rows with no group.
  const everyone =
    totals === "distinct"
      ? sql`distinct_episodes as (
          select distinct on (client_id, programme_id, enrolled_at) * from episodes
          order by client_id, programme_id, enrolled_at, grp
        ),
        everyone as (
          select u.*, case when u.total then null else u.grp end as grp_key
          from (select *, false as total from episodes union all select *, true from distinct_episodes) u
        )`
      : sql`everyone as (select *, false as total, grp as grp_key from episodes)`;
  const milestoneDays = milestoneDaysOf(definitions);

  // Attendance and every milestone in one scan (a filtered count per milestone), and the
  // survival rows in another, run at once on the pool.
  const milestoneCounts = sql.join(
    milestoneDays.map((days, i) => {
      const at = sql`${days}::float8`;
      const name = (suffix: string) => sql.raw(`m${i}_${suffix}`);
      return sql`(count(*) filter (where ${observableAt(at)}))::int as ${name("eligible")},
        (count(*) filter (where ${observableAt(at)} and ${retainedAt(at)}))::int as ${name("retained")},
        (count(*) filter (where ${observableAt(at)} and ${droppedBefore(at)}))::int as ${name("dropped")}`;
    }),
    sql`, `,
  );
  const [summaries, survival] = await Promise.all([
    rows<AttendanceRow & Record<string, number>>(
      db,
      sql`with ${episodes}, ${everyone}
        select e.grp_key as grp, e.total, count(*)::int as episodes, avg(e.sessions_attended)::float8 as mean,
          var_samp(e.sessions_attended)::float8 as variance, ${milestoneCounts}
        from everyone e group by e.grp_key, e.total`,
    ),
    // Time to dropout, grouped: one row per group, day and outcome, with how many episodes share it.
    options.curves === false
      ? Promise.resolve<SurvivalRow[]>([])
      : rows<SurvivalRow>(
          db,
          sql`with ${episodes}, ${everyone}
        select e.grp_key as grp, e.total, ${SURVIVAL_DAYS} as days, ${SURVIVAL_EVENT} as event,
          count(*)::int as episodes
        from everyone e group by 1, 2, 3, 4`,
        ),
  ]);
  return {
    attendance: summaries.map(({ grp, total, episodes, mean, variance }) => ({ grp, total, episodes, mean, variance })),
    milestones: summaries.flatMap((row) =>
      milestoneDays.map((days, i) => ({
        grp: row.grp,
        total: row.total,
        days,
        eligible: row[`m${i}_eligible`] ?? 0,
        retained: row[`m${i}_retained`] ?? 0,
        dropped: row[`m${i}_dropped`] ?? 0,
      })),
    ),
    survival,
  };
}

/** The figures of the groups (and, unless `totals` is "none", of all together) from their rows. */
function retentionFromRows(
  rows: RetentionRows,
  definitions: RetentionDefinitions,
  asOf: Date,
  options: GroupOptions,
): RetentionComparison {
  const totals = options.totals ?? "distinct";
  const attendance = [...rows.attendance];
  const milestones = [...rows.milestones];
  const survivalRows = [...rows.survival];
  if (totals === "disjoint") {
    // Each episode is in one group: the totals are the groups' combined.
    attendance.push(combinedAttendance(attendance));
    milestones.push(...combinedMilestones(milestones));
    survivalRows.push(...survivalRows.map((row) => ({ ...row, total: true })));
  }

  const overallObservations: SurvivalObservation[] = [];
  const observationsOf = new Map<string, SurvivalObservation[]>();
  for (const row of survivalRows) {
    const observation = { time: row.days, event: row.event, count: row.episodes };
    if (row.total) {
      overallObservations.push(observation);
    } else {
      const list = observationsOf.get(row.grp) ?? [];
      list.push(observation);
      observationsOf.set(row.grp, list);
    }
  }
  // The overall figures count each episode once, even if it is in several groups.
  const groupOf = (grp: string | undefined): RetentionGroup => {
    const matches = (row: { grp: string; total: boolean }) =>
      grp === undefined ? row.total : row.grp === grp && !row.total;
    const counts = attendance.find(matches);
    const atMilestone = (days: number) => milestones.find((row) => matches(row) && row.days === days);
    const early = atMilestone(definitions.earlyDropoutDays);
    const observations = grp === undefined ? overallObservations : (observationsOf.get(grp) ?? []);
    return {
      group: grp ?? OVERALL,
      episodes: counts?.episodes ?? 0,
      sessionsAttended: meanOf(counts?.episodes ?? 0, counts?.mean ?? null, counts?.variance ?? null),
      earlyDropout: share(early?.dropped ?? 0, early?.eligible ?? 0),
      milestones: definitions.milestoneDays.map((days) => {
        const row = atMilestone(days);
        return { days, retained: share(row?.retained ?? 0, row?.eligible ?? 0) };
      }),
      survival: kaplanMeier(observations),
    };
  };
  const groupNames = attendance.flatMap((row) => (row.total ? [] : [row.grp])).sort();
  const groups = groupNames.map(groupOf);
  const compared = groupNames.filter((name) => options.compareGroups?.includes(name) ?? true);
  const survivalOf = (name: string) => observationsOf.get(name) ?? [];
  const { pairwiseAgainst: against } = options;
  return {
    asOf: asOf.toISOString(),
    definitions,
    ...(totals === "none" ? {} : { overall: groupOf(undefined) }),
    groups,
    logRank: compared.length < 2 || options.curves === false ? null : logRankTest(compared.map(survivalOf)),
    ...(against === undefined
      ? {}
      : {
          pairwise: groupNames
            .filter((name) => name !== against)
            .map((name) => ({ group: name, against, test: logRankTest([survivalOf(name), survivalOf(against)]) })),
        }),
  };
}

export const FIDELITY_TIERS = ["below fair", "fair", "good"] as const;
/** The group of episodes with no coded session: in the overall figures, not a tier. */
export const NOT_CODED = "not coded";
export type FidelityTier = (typeof FIDELITY_TIERS)[number];

/** Which of the client's mean scores decide the tier: both must reach a level for "both". */
export type TierBasis = "technical" | "relational" | "both";

/** The SQL CASE giving an episode's fidelity tier from its mean session scores (null: none coded). */
export function tierExpression(basis: TierBasis, thresholds: Thresholds): SQL {
  const reaches = (level: "fair" | "good") => {
    const technical = sql`${outcomes.technicalMean} >= ${thresholds.technical[level]}`;
    const relational = sql`${outcomes.relationalMean} >= ${thresholds.relational[level]}`;
    if (basis === "technical") return technical;
    if (basis === "relational") return relational;
    return sql`(${technical} and ${relational})`;
  };
  return sql`case when ${outcomes.codedSessions} = 0 then ${NOT_CODED}
    when ${reaches("good")} then 'good' when ${reaches("fair")} then 'fair' else 'below fair' end`;
}

/** tierExpression over the rollup's fidelity levels (retention-rollups.ts), at the rollups' thresholds. */
function tierOfLevels(basis: TierBasis): SQL {
  const level =
    basis === "technical"
      ? sql`technical_level`
      : basis === "relational"
        ? sql`relational_level`
        : sql`least(technical_level, relational_level)`;
  return sql`case when technical_level < 0 then ${NOT_CODED}
    when ${level} = 2 then 'good' when ${level} = 1 then 'fair' else 'below fair' end`;
}

/** Whether the rollups' fidelity levels give the tiers at these thresholds. */
function rollupsHoldTiers(thresholds: Thresholds): boolean {
  const kept = schema.FIDELITY_ROLLUP_THRESHOLDS;
  return (["technical", "relational"] as const).every(
    (score) => thresholds[score].fair === kept[score].fair && thresholds[score].good === kept[score].good,
  );
}

/** The rollup selection answering a query over `filter`, or null when only the facts can. */
function rollupSelection(
  query: RetentionOptions & { readonly filter?: EpisodeFilter },
  grp: SQL,
  curves: boolean,
): RollupSelection | null {
  const definitions = query.definitions ?? DEFAULT_RETENTION_DEFINITIONS;
  if (query.source === "facts" || !rollupsHoldDefinitions(definitions, milestoneDaysOf(definitions))) return null;
  const where = rollupCondition(query.filter ?? {}, { programmes: !curves });
  return where === null ? null : { grp, where };
}

export interface RetentionQuery extends RetentionOptions {
  readonly filter?: EpisodeFilter;
  readonly thresholds?: Thresholds;
  readonly tierBy?: TierBasis;
}

/**
 * Retention by fidelity tier: episodes whose coded sessions averaged below fair, fair or good
 * (on `tierBy`, default both Technical and Relational), with the log-rank test across tiers.
 * Episodes with no coded session are in `overall` only; their group is left out.
 */
export interface TierRetention extends RetentionComparison {
  readonly overall: RetentionGroup;
}

export async function retentionByFidelityTier(db: Database, query: RetentionQuery = {}): Promise<TierRetention> {
  const basis = query.tierBy ?? "both";
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const options = { ...query, compareGroups: FIDELITY_TIERS, totals: "disjoint" } as const;
  const selection = rollupsHoldTiers(thresholds) ? rollupSelection(query, tierOfLevels(basis), true) : null;
  const result =
    selection === null
      ? await retentionByGroup(
          db,
          sql`(select ${outcomes}.*, ${tierExpression(basis, thresholds)} as grp from ${outcomes}
            where ${episodeCondition(query.filter ?? {})})`,
          options,
        )
      : await retentionBySelections(db, [selection], options);
  return {
    ...result,
    overall: result.overall as RetentionGroup,
    groups: FIDELITY_TIERS.map(
      (name) => result.groups.find((group) => group.group === name) ?? emptyGroup(name, result.definitions),
    ),
  };
}

function emptyGroup(group: string, definitions: RetentionDefinitions): RetentionGroup {
  return {
    group,
    episodes: 0,
    sessionsAttended: meanOf(0, null, null),
    earlyDropout: share(0, 0),
    milestones: definitions.milestoneDays.map((days) => ({ days, retained: share(0, 0) })),
    survival: kaplanMeier([]),
  };
}

export interface ProgrammeRetentionQuery extends RetentionOptions {
  readonly filter?: EpisodeFilter;
}

/**
 * Retention per programme (the groups are programme ids), with all of them together as `overall`.
 * From the facts: the survival rollups are not kept per programme.
 */
export async function retentionByProgramme(
  db: Database,
  query: ProgrammeRetentionQuery = {},
): Promise<RetentionComparison> {
  const source = sql`(select ${outcomes}.*, ${outcomes.programmeId} as grp from ${outcomes}
    where ${episodeCondition(query.filter ?? {})})`;
  return retentionByGroup(db, source, { ...query, totals: "disjoint" });
}

/** A group's retention without its time-to-dropout curve. */
export type RetentionMilestones = Omit<RetentionGroup, "survival">;

/**
 * Per programme: episodes, sessions attended, early dropout and retention at each milestone,
 * as retentionByProgramme gives them, without the curves and the log-rank test (one scan of the
 * episodes instead of two, and no 50-group test): what the overview shows.
 */
export async function retentionMilestonesByProgramme(
  db: Database,
  query: ProgrammeRetentionQuery = {},
): Promise<RetentionMilestones[]> {
  const options = { ...query, totals: "none", curves: false } as const;
  const selection = rollupSelection(query, sql`programme_id`, false);
  const { groups } =
    selection === null
      ? await retentionByGroup(
          db,
          sql`(select ${outcomes}.*, ${outcomes.programmeId} as grp from ${outcomes}
            where ${episodeCondition(query.filter ?? {})})`,
          options,
        )
      : await retentionBySelections(db, [selection], options);
  return groups.map(({ survival: _curve, ...milestones }) => milestones);
}

/**
 * Retention of named, possibly overlapping cohorts (no totals): from the rollups when every
 * cohort's filter and the definitions allow, else from `facts` (client_outcomes rows of every
 * cohort with `grp` its name).
 */
export async function retentionOfCohorts(
  db: Database,
  cohorts: readonly { readonly name: string; readonly filter: EpisodeFilter }[],
  facts: SQL,
  options: Omit<GroupOptions, "totals">,
): Promise<RetentionComparison> {
  const grouped = { ...options, totals: "none" } as const;
  const selections = cohorts.map((cohort) =>
    rollupSelection({ ...options, filter: cohort.filter }, sql`${cohort.name}::text`, options.curves !== false),
  );
  return selections.every((selection) => selection !== null)
    ? retentionBySelections(db, selections, grouped)
    : retentionByGroup(db, facts, grouped);
}
