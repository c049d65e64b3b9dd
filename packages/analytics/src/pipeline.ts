import { type Database, schema } from "@evoke/db";
import { sql } from "drizzle-orm";
import { isoTime, rows } from "./estimates.ts";

/*
 * Pipeline activity, for the engineers' "Pipeline health" page: what the aggregation sink has
 * recorded (from the idempotency ledger, one row per event applied), and which automatic coding
 * model versions the fidelity figures rest on. Counts and timestamps only, never event content.
 */

export interface PipelineActivityQuery {
  /** How many hours of per-hour counts, the current (partial) hour included. Default 24. */
  readonly hours?: number;
  /** The end of the window. Default: now. */
  readonly now?: Date;
}

export interface HourlyEvents {
  /** The hour's start, ISO 8601 in UTC. */
  readonly hour: string;
  /** The CloudEvents type. */
  readonly type: string;
  readonly events: number;
}

export interface EventTypeTotal {
  readonly type: string;
  readonly events: number;
}

export interface ModelVersionActivity {
  readonly modelVersion: string;
  /** Automatic codings made by this version, current or superseded. */
  readonly codings: number;
  /** Sessions whose fidelity currently rests on a coding by this version. */
  readonly sessionsCounting: number;
  /** ISO 8601, UTC. */
  readonly lastCodedAt: string;
}

export interface PipelineActivity {
  /** Hours and types with no events are absent; ordered by hour, then type. */
  readonly eventsPerHour: HourlyEvents[];
  /** All time, most frequent first. */
  readonly totals: EventTypeTotal[];
  /** Most recently used first. */
  readonly modelVersions: ModelVersionActivity[];
  /** Human MITI ratings recorded, all time. */
  readonly humanRatings: number;
}

/** Codings recorded without a model version (should not happen: the event contract requires one). */
const UNKNOWN_MODEL_VERSION = "(unknown)";

const HOUR_MS = 3_600_000;

const processed = schema.processedEvents;
const codings = schema.sessionCodings;
const fidelity = schema.sessionFidelity;

/**
 * Events recorded per hour and CloudEvents type over the last `hours` hours (whole UTC hours,
 * the one containing `now` included, events after `now` excluded), all-time totals per type,
 * the automatic model versions with how many sessions count each, and the human ratings.
 *
 * `processed_events` has no index on `processed_at`: both ledger queries scan it, which is
 * cheap next to the analytics (one narrow row per event) but grows with history.
 */
export async function pipelineActivity(db: Database, query: PipelineActivityQuery = {}): Promise<PipelineActivity> {
  const hours = query.hours ?? 24;
  if (!Number.isInteger(hours) || hours < 1) throw new RangeError(`hours must be a positive integer, got ${hours}`);
  const now = query.now ?? new Date();
  const from = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);

  const [perHour, totals, versions, human] = await Promise.all([
    rows<{ hour: string | Date; type: string; events: number }>(
      db,
      sql`
        select date_trunc('hour', ${processed.processedAt}, 'UTC') as hour,
          ${processed.eventType} as type,
          count(*)::int as events
        from ${processed}
        where ${processed.processedAt} >= ${from.toISOString()}::timestamptz
          and ${processed.processedAt} <= ${now.toISOString()}::timestamptz
        group by 1, 2
        order by 1, 2`,
    ),
    rows<{ type: string; events: number }>(
      db,
      sql`
        select ${processed.eventType} as type, count(*)::int as events
        from ${processed}
        group by 1
        order by 2 desc, 1`,
    ),
    rows<{ model_version: string; codings: number; sessions_counting: number; last_coded_at: string | Date }>(
      db,
      sql`
        select coalesce(${codings.modelVersion}, ${UNKNOWN_MODEL_VERSION}) as model_version,
          count(*)::int as codings,
          count(${fidelity.sessionId})::int as sessions_counting,
          max(${codings.codedAt}) as last_coded_at
        from ${codings}
        left join ${fidelity} on ${fidelity.codingId} = ${codings.codingId}
        where ${codings.kind} = 'automatic'
        group by 1
        order by 4 desc, 1`,
    ),
    rows<{ n: number }>(db, sql`select count(*)::int as n from ${codings} where ${codings.kind} = 'human'`),
  ]);

  return {
    eventsPerHour: perHour.map((row) => ({ hour: isoTime(row.hour) ?? "", type: row.type, events: row.events })),
    totals,
    modelVersions: versions.map((row) => ({
      modelVersion: row.model_version,
      codings: row.codings,
      sessionsCounting: row.sessions_counting,
      lastCodedAt: isoTime(row.last_coded_at) ?? "",
    })),
    humanRatings: human[0]?.n ?? 0,
  };
}
