import { doublePrecision, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Fidelity rollups: the sufficient statistics of session_fidelity per programme × therapist ×
 * coding kind × week and × month, so that a question about an organisation's fidelity (per
 * programme, therapist, month, quarter, week or all) adds up a few thousand rows instead of
 * scanning a million sessions. The sink rebuilds the rows of the keys a batch touched in the same
 * transaction as the facts (projections/fidelity-rollups.ts); `pnpm mi rollups rebuild` rebuilds
 * all of them. They are a function of session_fidelity alone.
 *
 * Per summary score: how many sessions have it (`_n`; R:Q and %CR can be undefined), its sum and
 * sum of squares (mean and sample variance follow), and how many sessions reach the fair and good
 * thresholds of FIDELITY_ROLLUP_THRESHOLDS (the manual's; other thresholds read the facts).
 */

/** The grains kept: a week starts on Monday (date_trunc), both in UTC. */
export const ROLLUP_PERIODS = ["week", "month"] as const;
export type RollupPeriod = (typeof ROLLUP_PERIODS)[number];

/**
 * The thresholds the fair and good counts are taken at, in the units stored (%CR as a
 * percentage): MITI 4.2.1's (THRESHOLD_PRESETS.manual of @evoke/mi-coding).
 */
export const FIDELITY_ROLLUP_THRESHOLDS = {
  technical: { fair: 3.0, good: 4.0 },
  relational: { fair: 3.5, good: 4.0 },
  percentComplexReflections: { fair: 40, good: 50 },
  reflectionToQuestion: { fair: 1.0, good: 2.0 },
} as const;

function scoreStatistics<Prefix extends string>(prefix: Prefix) {
  return {
    [`${prefix}N`]: integer().notNull(),
    [`${prefix}Sum`]: doublePrecision().notNull(),
    [`${prefix}SumSquares`]: doublePrecision().notNull(),
    [`${prefix}Fair`]: integer().notNull(),
    [`${prefix}Good`]: integer().notNull(),
  } as Record<`${Prefix}${"N" | "Fair" | "Good"}`, ReturnType<ReturnType<typeof integer>["notNull"]>> &
    Record<`${Prefix}${"Sum" | "SumSquares"}`, ReturnType<ReturnType<typeof doublePrecision>["notNull"]>>;
}

export const fidelityRollups = pgTable(
  "fidelity_rollups",
  {
    period: text({ enum: ROLLUP_PERIODS }).notNull(),
    /** The period's first instant, UTC (date_trunc of session_time at time zone 'UTC'). */
    periodStart: timestamp({ withTimezone: false }).notNull(),
    /** '' for sessions whose programme (or therapist) is not known: a key column cannot be null. */
    programmeId: text().notNull(),
    therapistId: text().notNull(),
    kind: text().notNull(),
    sessions: integer().notNull(),
    ...scoreStatistics("technical"),
    ...scoreStatistics("relational"),
    ...scoreStatistics("percentComplexReflections"),
    ...scoreStatistics("reflectionToQuestion"),
  },
  (table) => [
    primaryKey({ columns: [table.period, table.programmeId, table.therapistId, table.periodStart, table.kind] }),
    index().on(table.period, table.therapistId),
    index().on(table.period, table.periodStart),
  ],
);
