import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, pgTable, primaryKey, real, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Per-episode rollups the analytics read, so a dashboard page over 200,000 clients scans one
 * row per client instead of their sessions. The sink rebuilds them, in the same transaction,
 * for every client-programme pair a batch touches; they are a function of the facts alone.
 *
 * A session or readiness measure belongs to the episode whose enrolment is the latest on or
 * before it (ones dated before the first enrolment belong to the first episode). A pair without
 * any enrolment yet has no episode and so no rollup until the enrolment arrives.
 */

/** One row per enrolment episode: attendance, the client's mean session fidelity, discharge. */
export const clientOutcomes = pgTable(
  "client_outcomes",
  {
    clientId: text().notNull(),
    programmeId: text().notNull(),
    enrolledAt: timestamp({ withTimezone: true }).notNull(),
    /** The next enrolment in the same programme, which ends this episode's window. */
    nextEnrolledAt: timestamp({ withTimezone: true }),
    referralSource: text(),
    focus: text(),
    tags: text().array().notNull().default([]),
    dischargedAt: timestamp({ withTimezone: true }),
    dischargeReason: text(),
    /** The therapist with most attended sessions in the episode (latest on a tie). */
    therapistId: text(),
    sessionsAttended: integer().notNull(),
    sessionsMissed: integer().notNull(),
    sessionsCancelled: integer().notNull(),
    firstAttendedAt: timestamp({ withTimezone: true }),
    lastAttendedAt: timestamp({ withTimezone: true }),
    /** Sessions with a fidelity coding (human or automatic), and the means of their scores. */
    codedSessions: integer().notNull(),
    technicalMean: real(),
    relationalMean: real(),
    percentComplexReflectionsMean: real(),
    reflectionToQuestionMean: real(),
    /**
     * The readiness ruler's "readiness" item at the start of the episode, on the scale of its
     * latest measurement: the default baseline the association analytics adjust for.
     */
    baselineReadiness: real(),
    /**
     * The episode's times as days (float), so retention compares numbers rather than doing
     * timestamp arithmetic per episode per query: enrolment as days since 1970-01-01, the
     * others as days since enrolment.
     */
    enrolledDay: doublePrecision().notNull(),
    lastAttendedDay: doublePrecision(),
    dischargedDay: doublePrecision(),
    nextEnrolledDay: doublePrecision(),
  },
  (table) => [
    primaryKey({ columns: [table.clientId, table.programmeId, table.enrolledAt] }),
    index().on(table.programmeId, table.enrolledAt),
    index().on(table.therapistId),
    index().on(table.enrolledAt),
    // The retention rollups' ragged tail (schema/retention-rollups.ts): the episodes enrolled
    // recently, and those ending after a given day (their end as days since 1970-01-01; null
    // while in care), read from the facts by index range.
    index("client_outcomes_enrolled_day_index").on(table.enrolledDay),
    index("client_outcomes_end_day_index").on(
      sql`(${table.enrolledDay} + least(${table.dischargedDay}, ${table.nextEnrolledDay}))`,
    ),
    // The episodes still in care, with what their time-to-dropout observation needs (censored
    // as of asOf): read by an index-only scan instead of their rows.
    index("client_outcomes_in_care_index")
      .on(
        table.enrolledDay,
        table.programmeId,
        table.referralSource,
        table.codedSessions,
        table.technicalMean,
        table.relationalMean,
      )
      .where(sql`${table.dischargedDay} is null and ${table.nextEnrolledDay} is null`),
  ],
);

/**
 * Readiness change per episode, instrument and item: the first and the latest measurement.
 * `change` is latest − first in the latest measurement's scale (the first rescaled linearly if
 * the service changed scale between them, e.g. 1-10 to 0-10). It carries its episode's cohort
 * attributes and mean fidelity too, so the readiness analytics read this table alone.
 */
export const readinessChanges = pgTable(
  "readiness_changes",
  {
    clientId: text().notNull(),
    programmeId: text().notNull(),
    enrolledAt: timestamp({ withTimezone: true }).notNull(),
    instrument: text().notNull(),
    item: text().notNull(),
    measurements: integer().notNull(),
    firstValue: real().notNull(),
    firstAt: timestamp({ withTimezone: true }).notNull(),
    latestValue: real().notNull(),
    latestAt: timestamp({ withTimezone: true }).notNull(),
    scaleMin: real().notNull(),
    scaleMax: real().notNull(),
    change: real().notNull(),
    therapistId: text(),
    referralSource: text(),
    focus: text(),
    tags: text().array().notNull().default([]),
    codedSessions: integer().notNull().default(0),
    technicalMean: real(),
    relationalMean: real(),
  },
  (table) => [
    primaryKey({ columns: [table.clientId, table.programmeId, table.enrolledAt, table.instrument, table.item] }),
    index().on(table.instrument, table.item, table.programmeId),
    // The readiness page's clients, largest change first: a top-N read in index order instead
    // of sorting an organisation's 200,000 episodes per page.
    index("readiness_changes_largest_change_index").on(
      table.instrument,
      table.item,
      table.change.desc().nullsFirst(),
      table.clientId,
      table.programmeId,
      table.enrolledAt,
    ),
  ],
);
