import { schema } from "@evoke/db";
import { THRESHOLD_PRESETS, type Threshold, type Thresholds } from "@evoke/mi-coding";
import { type SQL, sql } from "drizzle-orm";
import { type Mean, meanOf, type Share, share } from "./estimates.ts";

/*
 * The four MITI 4.2.1 summary scores the analytics report, the thresholds that make a session
 * "fair" or "good" on each (configurable, default the manual's), and the SQL that summarises a
 * set of sessions on them in one pass.
 */

export const SUMMARY_SCORES = ["technical", "relational", "percentComplexReflections", "reflectionToQuestion"] as const;
export type SummaryScore = (typeof SUMMARY_SCORES)[number];

export const DEFAULT_THRESHOLDS: Thresholds = THRESHOLD_PRESETS.manual;

const fidelity = schema.sessionFidelity;
const COLUMNS = {
  technical: fidelity.technical,
  relational: fidelity.relational,
  percentComplexReflections: fidelity.percentComplexReflections,
  reflectionToQuestion: fidelity.reflectionToQuestion,
} as const;

/** The session_fidelity column holding a summary score. */
export function scoreColumn(score: SummaryScore) {
  return COLUMNS[score];
}

/** Thresholds in the unit stored: %CR is stored as a percentage, its thresholds are fractions. */
export function storedThreshold(score: SummaryScore, thresholds: Thresholds): Threshold {
  const threshold = thresholds[score];
  return score === "percentComplexReflections" ? { fair: 100 * threshold.fair, good: 100 * threshold.good } : threshold;
}

export interface ScoreSummary {
  /** Mean over the sessions with this score (R:Q and %CR are undefined without questions or reflections). */
  readonly mean: Mean;
  /** Sessions at or above the fair threshold (good ones included). */
  readonly fair: Share;
  readonly good: Share;
}

export type ScoreSummaries = Record<SummaryScore, ScoreSummary>;

/** Select-list entries summarising every score over the grouped sessions: `<score>_n`, `_mean`, … */
export function scoreAggregates(thresholds: Thresholds): SQL {
  return sql.join(
    SUMMARY_SCORES.map((score) => {
      const column = COLUMNS[score];
      const { fair, good } = storedThreshold(score, thresholds);
      const name = (suffix: string) => sql.raw(`"${score}_${suffix}"`);
      return sql`count(${column})::int as ${name("n")},
        avg(${column})::float8 as ${name("mean")},
        var_samp(${column})::float8 as ${name("var")},
        (count(*) filter (where ${column} >= ${fair}))::int as ${name("fair")},
        (count(*) filter (where ${column} >= ${good}))::int as ${name("good")}`;
    }),
    sql`, `,
  );
}

/** Reads the `scoreAggregates` columns of a result row back into summaries. */
export function scoreSummaries(row: Record<string, unknown>): ScoreSummaries {
  const entries = SUMMARY_SCORES.map((score) => {
    const value = (suffix: string) => row[`${score}_${suffix}`] as number | null;
    const n = value("n") ?? 0;
    return [
      score,
      {
        mean: meanOf(n, value("mean"), value("var")),
        fair: share(value("fair") ?? 0, n),
        good: share(value("good") ?? 0, n),
      },
    ];
  });
  return Object.fromEntries(entries) as ScoreSummaries;
}
