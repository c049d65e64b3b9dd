import { type Database, schema } from "@evoke/db";
import type { Thresholds } from "@evoke/mi-coding";
import {
  type KaplanMeierCurve,
  type LogRankTest,
  mannWhitneyUFromFrequencies,
  proportionDifference,
  welchTTestFromSummaries,
} from "@evoke/statistics";
import { type SQL, sql } from "drizzle-orm";
import { FIDELITY_MEAN_COLUMNS, type FidelityMeasure } from "./association.ts";
import { type Mean, meanOf, rows, type Share, share } from "./estimates.ts";
import { type EpisodeFilter, episodeCondition } from "./filters.ts";
import { DEFAULT_READINESS_MEASURE, type ReadinessMeasure, readinessCondition } from "./readiness.ts";
import {
  DEFAULT_RETENTION_DEFINITIONS,
  type RetentionDefinitions,
  type RetentionSource,
  retentionOfCohorts,
} from "./retention.ts";
import { DEFAULT_THRESHOLDS, storedThreshold } from "./scores.ts";

/*
 * Analytic 5, cohort comparison: two or more cohorts of episodes, each defined by a filter
 * (programme, therapist, enrolment period, referral source, focus, tags), compared with the
 * first (the reference) on fidelity, readiness change and retention: each with its interval,
 * a test and an effect size. Cohorts may overlap; the tests assume they do not, so the overlap
 * is reported and flagged.
 */

export interface Cohort {
  readonly name: string;
  readonly filter: EpisodeFilter;
}

export interface CohortComparisonQuery {
  /** At least two; the first is the reference the others are compared with. */
  readonly cohorts: readonly Cohort[];
  /** Which mean session score is a client's fidelity (default technical). */
  readonly fidelity?: FidelityMeasure;
  readonly readiness?: ReadinessMeasure;
  /** The retention milestone compared (default the last of the definitions' milestones). */
  readonly retentionDays?: number;
  readonly definitions?: RetentionDefinitions;
  readonly asOf?: Date;
  readonly thresholds?: Thresholds;
  /** "facts": retention from client_outcomes, not the retention rollups (the same figures). */
  readonly source?: RetentionSource;
}

export interface CohortSummary {
  readonly name: string;
  readonly episodes: number;
  /** Per episode: the mean score of its coded sessions. */
  readonly fidelity: { readonly clientMean: Mean; readonly meetingFair: Share; readonly meetingGood: Share };
  readonly readinessChange: Mean;
  readonly retained: Share;
  readonly sessionsAttended: Mean;
  readonly survival: KaplanMeierCurve;
  /** Episodes also in the reference cohort (0 for the reference itself). */
  readonly overlapWithReference: number;
}

export type CohortMetric =
  | "fidelity (client mean)"
  | "fidelity meeting good"
  | "readiness change"
  | "retained"
  | "sessions attended"
  | "time to dropout";

export interface CohortTest {
  readonly metric: CohortMetric;
  readonly cohort: string;
  readonly reference: string;
  readonly test: "Welch t" | "difference in proportions (Newcombe)" | "Mann-Whitney U" | "log-rank";
  /** Cohort − reference, with its 95% interval (absent for rank and survival tests). */
  readonly difference?: number;
  readonly lower?: number;
  readonly upper?: number;
  readonly pValue: number;
  readonly effectSize?: { readonly name: "Hedges' g" | "Cohen's h" | "rank-biserial r"; readonly value: number };
}

export interface CohortComparison {
  readonly reference: string;
  readonly retentionDays: number;
  readonly cohorts: readonly CohortSummary[];
  readonly tests: readonly CohortTest[];
  /** Time to dropout, all cohorts at once. */
  readonly logRank: LogRankTest | null;
  readonly notes: readonly string[];
}

const outcomes = schema.clientOutcomes;
const changes = schema.readinessChanges;

export async function compareCohorts(db: Database, query: CohortComparisonQuery): Promise<CohortComparison> {
  const { cohorts } = query;
  if (cohorts.length < 2) throw new RangeError("cohorts: compare at least two");
  const names = cohorts.map((cohort) => cohort.name);
  if (new Set(names).size !== names.length) throw new RangeError("cohorts: each needs its own name");
  const reference = cohorts[0] as Cohort;
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const fidelityMeasure = query.fidelity ?? "technical";
  const measure = query.readiness ?? DEFAULT_READINESS_MEASURE;
  const definitions = query.definitions ?? DEFAULT_RETENTION_DEFINITIONS;
  const retentionDays = query.retentionDays ?? definitions.milestoneDays.at(-1) ?? 90;

  // Every cohort's episodes tagged with the cohort's name, for retention: an episode in two
  // cohorts appears twice.
  const source = sql`(${sql.join(
    cohorts.map(
      (cohort) =>
        sql`select ${outcomes}.*, ${cohort.name}::text as grp from ${outcomes} where ${episodeCondition(cohort.filter)}`,
    ),
    sql` union all `,
  )})`;
  // Fidelity and readiness read their table once for all the cohorts: one aggregate per cohort,
  // filtered by its condition, then unnested into a row per cohort. (A union of one scan per
  // cohort read every episode once per cohort: twice the work at organisation scale.)
  const conditions = cohorts.map((cohort) => episodeCondition(cohort.filter));
  const readinessConditions = cohorts.map(
    (cohort) => sql`${readinessCondition(cohort.filter, measure)} and ${changes.measurements} >= 2`,
  );
  const inAny = (each: readonly SQL[]) =>
    sql.join(
      each.map((condition) => sql`(${condition})`),
      sql` or `,
    );
  const perCohort = (type: string, aggregate: (condition: SQL) => SQL, each = conditions) =>
    sql`unnest(array[${sql.join(each.map(aggregate), sql`, `)}])::${sql.raw(type)}`;
  const cohortNames = sql`unnest(array[${sql.join(
    cohorts.map((cohort) => sql`${cohort.name}::text`),
    sql`, `,
  )}])`;
  const inReference = conditions[0] as SQL;
  const column = sql.raw(FIDELITY_MEAN_COLUMNS[fidelityMeasure]);
  const threshold = storedThreshold(fidelityMeasure, thresholds);

  const [retention, fidelityRows, frequencies] = await Promise.all([
    retentionOfCohorts(db, cohorts, source, {
      definitions: { ...definitions, milestoneDays: [retentionDays] },
      ...(query.asOf === undefined ? {} : { asOf: query.asOf }),
      ...(query.source === undefined ? {} : { source: query.source }),
      pairwiseAgainst: reference.name,
    }),
    rows<{
      grp: string;
      overlap: number;
      n: number;
      mean: number | null;
      variance: number | null;
      fair: number;
      good: number;
    }>(
      db,
      sql`select ${cohortNames} as grp,
          ${perCohort("int", (c) => sql`count(*) filter (where (${c}) and (${inReference}))`)} as overlap,
          ${perCohort("int", (c) => sql`count(${column}) filter (where ${c})`)} as n,
          ${perCohort("float8", (c) => sql`avg(${column}) filter (where ${c})`)} as mean,
          ${perCohort("float8", (c) => sql`var_samp(${column}) filter (where ${c})`)} as variance,
          ${perCohort("int", (c) => sql`count(*) filter (where (${c}) and ${column} >= ${threshold.fair})`)} as fair,
          ${perCohort("int", (c) => sql`count(*) filter (where (${c}) and ${column} >= ${threshold.good})`)} as good
        from ${outcomes} where ${inAny(conditions)}`,
    ),
    // Readiness change as a frequency table per cohort: the mean, variance and ranks all follow
    // exactly from it, and changes take few distinct values (a ruler's are whole numbers).
    rows<{ grp: string; value: number; count: number }>(
      db,
      sql`select grp, value, count from (
          select ${changes.change}::float8 as value, ${cohortNames} as grp,
            ${perCohort("int", (c) => sql`count(*) filter (where ${c})`, readinessConditions)} as count
          from ${changes} where ${inAny(readinessConditions)} group by ${changes.change}
        ) frequencies where count > 0`,
    ),
  ]);
  const readinessRows = cohorts.map((cohort) =>
    summaryOf(
      cohort.name,
      frequencies.filter((row) => row.grp === cohort.name),
    ),
  );

  const summaries: CohortSummary[] = cohorts.map((cohort) => {
    const group = retention.groups.find((candidate) => candidate.group === cohort.name);
    const fidelity = fidelityRows.find((row) => row.grp === cohort.name);
    const readiness = readinessRows.find((row) => row.grp === cohort.name);
    const fidelityN = fidelity?.n ?? 0;
    return {
      name: cohort.name,
      episodes: group?.episodes ?? 0,
      fidelity: {
        clientMean: meanOf(fidelityN, fidelity?.mean ?? null, fidelity?.variance ?? null),
        meetingFair: share(fidelity?.fair ?? 0, fidelityN),
        meetingGood: share(fidelity?.good ?? 0, fidelityN),
      },
      readinessChange: meanOf(readiness?.n ?? 0, readiness?.mean ?? null, readiness?.variance ?? null),
      retained: group?.milestones[0]?.retained ?? share(0, 0),
      sessionsAttended: group?.sessionsAttended ?? meanOf(0, null, null),
      survival: group?.survival ?? { points: [], median: null },
      overlapWithReference: cohort === reference ? 0 : (fidelity?.overlap ?? 0),
    };
  });

  const base = summaries[0] as CohortSummary;
  const tests = summaries.slice(1).flatMap((summary): CohortTest[] => {
    const against = { cohort: summary.name, reference: base.name };
    const found: CohortTest[] = [];
    const welch = (metric: CohortMetric, a: Mean, b: Mean) => {
      if (a.mean === null || b.mean === null || a.sd === null || b.sd === null) return;
      const test = welchTTestFromSummaries(
        { n: a.n, mean: a.mean, variance: a.sd ** 2 },
        { n: b.n, mean: b.mean, variance: b.sd ** 2 },
      );
      if (test === null) return;
      found.push({
        metric,
        ...against,
        test: "Welch t",
        difference: test.meanDifference,
        lower: test.lower,
        upper: test.upper,
        pValue: test.pValue,
        effectSize: { name: "Hedges' g", value: test.hedgesG },
      });
    };
    const proportions = (metric: CohortMetric, a: Share, b: Share) => {
      if (a.of === 0 || b.of === 0) return;
      const test = proportionDifference(a.count, a.of, b.count, b.of);
      if (test === null) return;
      found.push({
        metric,
        ...against,
        test: "difference in proportions (Newcombe)",
        difference: test.difference,
        lower: test.lower,
        upper: test.upper,
        pValue: test.pValue,
        effectSize: { name: "Cohen's h", value: test.cohensH },
      });
    };
    welch("fidelity (client mean)", summary.fidelity.clientMean, base.fidelity.clientMean);
    proportions("fidelity meeting good", summary.fidelity.meetingGood, base.fidelity.meetingGood);
    welch("readiness change", summary.readinessChange, base.readinessChange);
    const ranks = mannWhitneyUFromFrequencies(frequencyTable(frequencies, summary.name, base.name));
    if (ranks !== null) {
      found.push({
        metric: "readiness change",
        ...against,
        test: "Mann-Whitney U",
        pValue: ranks.pValue,
        effectSize: { name: "rank-biserial r", value: ranks.rankBiserial },
      });
    }
    proportions("retained", summary.retained, base.retained);
    welch("sessions attended", summary.sessionsAttended, base.sessionsAttended);
    const survival = retention.pairwise?.find((pair) => pair.group === summary.name);
    if (survival && Number.isFinite(survival.test.pValue)) {
      found.push({ metric: "time to dropout", ...against, test: "log-rank", pValue: survival.test.pValue });
    }
    return found;
  });

  const notes = [
    "Differences are cohort minus reference. p-values are not adjusted for the number of tests.",
    ...summaries
      .filter((summary) => summary.overlapWithReference > 0)
      .map(
        (summary) =>
          `${summary.overlapWithReference} of ${summary.name}'s ${summary.episodes} episodes are also in ${base.name}: ` +
          "the tests assume separate cohorts, so treat them with caution.",
      ),
  ];
  return { reference: base.name, retentionDays, cohorts: summaries, tests, logRank: retention.logRank, notes };
}

/** Count, mean and sample variance of a frequency table. */
function summaryOf(
  grp: string,
  table: readonly { value: number; count: number }[],
): { grp: string; n: number; mean: number | null; variance: number | null } {
  const n = table.reduce((sum, row) => sum + row.count, 0);
  if (n === 0) return { grp, n, mean: null, variance: null };
  const mean = table.reduce((sum, row) => sum + row.count * row.value, 0) / n;
  const squares = table.reduce((sum, row) => sum + row.count * (row.value - mean) ** 2, 0);
  return { grp, n, mean, variance: n < 2 ? null : squares / (n - 1) };
}

function frequencyTable(
  frequencies: readonly { grp: string; value: number; count: number }[],
  a: string,
  b: string,
): { value: number; a: number; b: number }[] {
  return frequencies
    .filter((row) => row.grp === a || row.grp === b)
    .map((row) => ({ value: row.value, a: row.grp === a ? row.count : 0, b: row.grp === b ? row.count : 0 }));
}
