import { schema } from "@evoke/db";
import { and, arrayOverlaps, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/*
 * Who an analysis is about, as typed filters that become parameterised SQL conditions (never
 * string-built). Episodes are filtered by their enrolment; sessions by when and by whom.
 */

/** A cohort of enrolment episodes. Every field narrows; an empty filter is every episode. */
export interface EpisodeFilter {
  readonly programmeIds?: readonly string[];
  /** The client's main therapist in the episode (most attended sessions). */
  readonly therapistIds?: readonly string[];
  /** Enrolled on or after. */
  readonly enrolledFrom?: Date;
  /** Enrolled before. */
  readonly enrolledBefore?: Date;
  readonly referralSources?: readonly string[];
  readonly focuses?: readonly string[];
  /** Episodes with any of these tags. */
  readonly tags?: readonly string[];
}

/** Coded sessions, by programme, therapist and session time. */
export interface SessionScope {
  readonly programmeIds?: readonly string[];
  readonly therapistIds?: readonly string[];
  /** Sessions on or after. */
  readonly from?: Date;
  /** Sessions before. */
  readonly before?: Date;
  /** Whose coding counts: human ratings, automatic codings, or both (the default). */
  readonly kind?: "human" | "automatic";
}

const fidelity = schema.sessionFidelity;

function whenGiven<T>(value: T | undefined, condition: (value: T) => SQL): SQL | undefined {
  return value === undefined ? undefined : condition(value);
}

/** The episode columns a filter reads: client_outcomes has them, and readiness_changes copies them. */
interface EpisodeColumns {
  readonly programmeId: PgColumn;
  readonly therapistId: PgColumn;
  readonly enrolledAt: PgColumn;
  readonly referralSource: PgColumn;
  readonly focus: PgColumn;
  readonly tags: PgColumn;
}

/** The filter as a condition on client_outcomes, or another table with its columns (true for an empty filter). */
export function episodeCondition(filter: EpisodeFilter, outcomes: EpisodeColumns = schema.clientOutcomes): SQL {
  return (
    and(
      whenGiven(filter.programmeIds, (ids) => inArray(outcomes.programmeId, [...ids])),
      whenGiven(filter.therapistIds, (ids) => inArray(outcomes.therapistId, [...ids])),
      whenGiven(filter.enrolledFrom, (from) => gte(outcomes.enrolledAt, from)),
      whenGiven(filter.enrolledBefore, (before) => lt(outcomes.enrolledAt, before)),
      whenGiven(filter.referralSources, (sources) => inArray(outcomes.referralSource, [...sources])),
      whenGiven(filter.focuses, (focuses) => inArray(outcomes.focus, [...focuses])),
      whenGiven(filter.tags, (tags) => arrayOverlaps(outcomes.tags, [...tags])),
    ) ?? sql`true`
  );
}

/** The scope as a condition on session_fidelity (true for an empty scope). */
export function sessionCondition(scope: SessionScope): SQL {
  return (
    and(
      whenGiven(scope.programmeIds, (ids) => inArray(fidelity.programmeId, [...ids])),
      whenGiven(scope.therapistIds, (ids) => inArray(fidelity.therapistId, [...ids])),
      whenGiven(scope.from, (from) => gte(fidelity.sessionTime, from)),
      whenGiven(scope.before, (before) => lt(fidelity.sessionTime, before)),
      whenGiven(scope.kind, (kind) => sql`${fidelity.kind} = ${kind}`),
    ) ?? sql`true`
  );
}
