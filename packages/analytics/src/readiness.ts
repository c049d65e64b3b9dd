import { type Database, schema } from "@evoke/db";
import { and, eq, gte, type SQL, sql } from "drizzle-orm";
import { isoTime, type Mean, meanOf, rows, type Share, share } from "./estimates.ts";
import { type EpisodeFilter, episodeCondition } from "./filters.ts";

/*
 * Analytic 2, readiness change: per client episode, the latest minus the first measurement on
 * one instrument and item (mi-domain.md section 4), beside the client's mean session fidelity.
 * Clients measured only once have no change yet: they are counted, not averaged in as zero.
 */

export interface ReadinessMeasure {
  /** "readiness-ruler", "urica" or "socrates". */
  readonly instrument: string;
  /** E.g. "readiness", "importance", "confidence"; URICA's composite is "readiness". */
  readonly item: string;
}

export const DEFAULT_READINESS_MEASURE: ReadinessMeasure = { instrument: "readiness-ruler", item: "readiness" };

export interface ClientReadinessChange {
  readonly clientId: string;
  readonly programmeId: string;
  readonly enrolledAt: string;
  readonly first: number;
  readonly latest: number;
  readonly change: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly measurements: number;
  readonly daysBetween: number;
  readonly codedSessions: number;
  readonly technicalMean: number | null;
  readonly relationalMean: number | null;
}

export interface ReadinessChangeSummary {
  /** Episodes with at least two measurements. */
  readonly measuredTwice: number;
  /** Episodes with a single measurement so far. */
  readonly measuredOnce: number;
  readonly change: Mean;
  readonly improved: Share;
  readonly unchanged: Share;
  readonly worsened: Share;
}

export interface ReadinessChangeQuery {
  readonly filter?: EpisodeFilter;
  readonly measure?: ReadinessMeasure;
  /** Largest change first; at most 1,000 a page. */
  readonly limit?: number;
  readonly offset?: number;
}

const changes = schema.readinessChanges;

/** The readiness changes on one measure of the episodes matching the filter (one table, no join). */
export function readinessCondition(filter: EpisodeFilter, measure: ReadinessMeasure): SQL {
  return and(
    eq(changes.instrument, measure.instrument),
    eq(changes.item, measure.item),
    episodeCondition(filter, changes),
  ) as SQL;
}

export async function readinessChange(
  db: Database,
  query: ReadinessChangeQuery,
): Promise<{ summary: ReadinessChangeSummary; clients: ClientReadinessChange[] }> {
  const where = readinessCondition(query.filter ?? {}, query.measure ?? DEFAULT_READINESS_MEASURE);
  const twice = and(where, gte(changes.measurements, 2)) as SQL;
  const [[summary], page] = await Promise.all([
    rows<{
      twice: number;
      once: number;
      mean: number | null;
      variance: number | null;
      improved: number;
      unchanged: number;
      worsened: number;
    }>(
      db,
      sql`
      select
        (count(*) filter (where ${changes.measurements} >= 2))::int as twice,
        (count(*) filter (where ${changes.measurements} < 2))::int as once,
        (avg(${changes.change}) filter (where ${changes.measurements} >= 2))::float8 as mean,
        (var_samp(${changes.change}) filter (where ${changes.measurements} >= 2))::float8 as variance,
        (count(*) filter (where ${changes.measurements} >= 2 and ${changes.change} > 0))::int as improved,
        (count(*) filter (where ${changes.measurements} >= 2 and ${changes.change} = 0))::int as unchanged,
        (count(*) filter (where ${changes.measurements} >= 2 and ${changes.change} < 0))::int as worsened
      from ${changes} where ${where}`,
    ),
    rows<{
      client_id: string;
      programme_id: string;
      enrolled_at: string;
      first_value: number;
      latest_value: number;
      change: number;
      scale_min: number;
      scale_max: number;
      measurements: number;
      days_between: number;
      coded_sessions: number;
      technical_mean: number | null;
      relational_mean: number | null;
    }>(
      db,
      sql`
      select client_id, programme_id, enrolled_at, first_value, latest_value, change, scale_min, scale_max,
        measurements, (extract(epoch from latest_at - first_at) / 86400)::float8 as days_between,
        coded_sessions, technical_mean, relational_mean
      from ${changes} where ${twice}
      order by ${changes.change} desc, client_id, programme_id, enrolled_at
      limit ${Math.min(query.limit ?? 100, 1_000)} offset ${query.offset ?? 0}`,
    ),
  ]);
  const measuredTwice = summary?.twice ?? 0;
  return {
    summary: {
      measuredTwice,
      measuredOnce: summary?.once ?? 0,
      change: meanOf(measuredTwice, summary?.mean ?? null, summary?.variance ?? null),
      improved: share(summary?.improved ?? 0, measuredTwice),
      unchanged: share(summary?.unchanged ?? 0, measuredTwice),
      worsened: share(summary?.worsened ?? 0, measuredTwice),
    },
    clients: page.map((row) => ({
      clientId: row.client_id,
      programmeId: row.programme_id,
      enrolledAt: isoTime(row.enrolled_at) as string,
      first: row.first_value,
      latest: row.latest_value,
      change: row.change,
      scaleMin: row.scale_min,
      scaleMax: row.scale_max,
      measurements: row.measurements,
      daysBetween: row.days_between,
      codedSessions: row.coded_sessions,
      technicalMean: row.technical_mean,
      relationalMean: row.relational_mean,
    })),
  };
}

export interface ProgrammeReadinessChange {
  readonly programmeId: string;
  readonly measuredTwice: number;
  readonly change: Mean;
  readonly improved: Share;
}

/** Mean readiness change per programme, over the episodes measured at least twice. */
export async function readinessChangeByProgramme(
  db: Database,
  query: { readonly filter?: EpisodeFilter; readonly measure?: ReadinessMeasure },
): Promise<ProgrammeReadinessChange[]> {
  const where = and(
    readinessCondition(query.filter ?? {}, query.measure ?? DEFAULT_READINESS_MEASURE),
    gte(changes.measurements, 2),
  ) as SQL;
  const grouped = await rows<{
    programme_id: string;
    n: number;
    mean: number | null;
    variance: number | null;
    improved: number;
  }>(
    db,
    sql`select programme_id, count(*)::int as n, avg(${changes.change})::float8 as mean,
        var_samp(${changes.change})::float8 as variance, (count(*) filter (where ${changes.change} > 0))::int as improved
      from ${changes} where ${where} group by programme_id order by programme_id`,
  );
  return grouped.map((row) => ({
    programmeId: row.programme_id,
    measuredTwice: row.n,
    change: meanOf(row.n, row.mean, row.variance),
    improved: share(row.improved, row.n),
  }));
}
