import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, pgTable, primaryKey, smallint, text } from "drizzle-orm/pg-core";

/*
 * Retention rollups: what each enrolment episode (client_outcomes) contributes to the retention
 * analytics once it no longer depends on the day the analysis looks from (asOf), added up per
 * key, so that an organisation's retention reads a few thousand rows instead of 200,000 episodes.
 * The sink keeps them in the same transaction as client_outcomes (projections/retention-rollups.ts,
 * by adding each changed episode's new contribution and taking away its old one: every column is
 * a whole number, so the sums are exact whatever the order); `pnpm mi rollups rebuild` recomputes
 * them. The contribution is defined once, in retention-episodes.ts.
 *
 * An episode's figures depend on asOf only until it has ended (discharge or re-enrolment) and is
 * older than the last milestone: the analytics add the rollups of enrolment months that are old
 * enough and read the rest (recent enrolments, episodes ending after asOf) from client_outcomes.
 *
 * Keys: '' for an unknown referral source (a key column cannot be null). The fidelity levels are
 * the episode's mean Technical and Relational against FIDELITY_ROLLUP_THRESHOLDS: -1 no coded
 * session, 0 below fair, 1 fair, 2 good; any tier basis follows from the pair.
 */

/** The milestones kept (days since enrolment), with RETENTION_ROLLUP_DEFINITIONS' reasons. */
export const RETENTION_ROLLUP_MILESTONES = [30, 60, 90] as const;

function milestoneCounts() {
  return {
    eligible30: integer().notNull(),
    retained30: integer().notNull(),
    dropped30: integer().notNull(),
    eligible60: integer().notNull(),
    retained60: integer().notNull(),
    dropped60: integer().notNull(),
    eligible90: integer().notNull(),
    retained90: integer().notNull(),
    dropped90: integer().notNull(),
  };
}

/**
 * Per programme × referral source × fidelity levels × UTC month of enrolment × whether the episode
 * has ended (`ended`: a discharge or a later enrolment is known): episodes, sessions attended
 * (sum and sum of squares) and, per milestone, the episodes observable at it, retained at it and
 * dropped out before it, counted as if asOf were long after the episode ended (still open: as if
 * still in care then).
 */
export const retentionRollups = pgTable(
  "retention_rollups",
  {
    programmeId: text().notNull(),
    referralSource: text().notNull(),
    technicalLevel: smallint().notNull(),
    relationalLevel: smallint().notNull(),
    enrolledMonth: date({ mode: "string" }).notNull(),
    ended: boolean().notNull(),
    episodes: integer().notNull(),
    attendedSum: bigint({ mode: "number" }).notNull(),
    attendedSumSquares: bigint({ mode: "number" }).notNull(),
    ...milestoneCounts(),
  },
  (table) => [
    primaryKey({
      name: "retention_rollups_pk",
      columns: [
        table.programmeId,
        table.referralSource,
        table.technicalLevel,
        table.relationalLevel,
        table.enrolledMonth,
        table.ended,
      ],
    }),
    // The rows whose episodes have all gone (a change moved them to another key): deleted
    // after each change through this small index rather than a scan of the table.
    index("retention_rollups_empty_index").on(table.episodes).where(sql`${table.episodes} = 0`),
  ],
);

/**
 * The Kaplan-Meier observations of ended episodes: per referral source × fidelity levels × days
 * in care × whether it ended in dropout (else censored), how many episodes. An ended episode's
 * observation does not depend on asOf once asOf is past its end.
 */
export const retentionSurvivalRollups = pgTable(
  "retention_survival_rollups",
  {
    referralSource: text().notNull(),
    technicalLevel: smallint().notNull(),
    relationalLevel: smallint().notNull(),
    days: integer().notNull(),
    event: boolean().notNull(),
    episodes: integer().notNull(),
  },
  (table) => [
    primaryKey({
      name: "retention_survival_rollups_pk",
      columns: [table.referralSource, table.technicalLevel, table.relationalLevel, table.days, table.event],
    }),
    index("retention_survival_rollups_empty_index").on(table.episodes).where(sql`${table.episodes} = 0`),
  ],
);
