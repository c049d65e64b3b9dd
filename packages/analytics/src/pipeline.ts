import { type Database, schema } from "@evoke/db";
import { sql } from "drizzle-orm";
import { isoTime, rows } from "./estimates.ts";

/*
 * Pipeline activity, for the engineers' "Pipeline health" page: what the aggregation sink has
 * recorded (the idempotency ledger's per-minute counts of the events applied), and which
 * automatic coding model versions the fidelity figures rest on. Counts and timestamps only,
 * never event content.
 */

export interface PipelineActivityQuery {
  /** How many hours of per-hour counts, the current (partial) hour included. Default 24. */
  readonly hours?: number;
  /** The end of the window. Default: now. */
  readonly now?: Date;
  /** Model versions with automatic codings since this time count as in use. Default: the last 30 days. */
  readonly modelVersionsSince?: Date;
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
  /** Of those codings' sessions, how many currently rest their fidelity on them. */
  readonly sessionsCounting: number;
  /** ISO 8601, UTC. */
  readonly lastCodedAt: string;
}

export interface PipelineActivity {
  /** Hours and types with no events are absent; ordered by hour, then type. */
  readonly eventsPerHour: HourlyEvents[];
  /** Over the window, most frequent first. */
  readonly totals: EventTypeTotal[];
  /** Versions that coded since `modelVersionsSince` (their codings since then), most recently used first. */
  readonly modelVersions: ModelVersionActivity[];
  /** Human MITI ratings recorded, all time. */
  readonly humanRatings: number;
}

/** Codings recorded without a model version (should not happen: the event contract requires one). */
const UNKNOWN_MODEL_VERSION = "(unknown)";

const HOUR_MS = 3_600_000;
const MODEL_VERSION_DAYS = 30;

/** Per-type totals of the window, most frequent first. */
function totalsOf(perHour: readonly { type: string; events: number }[]): EventTypeTotal[] {
  const totals = new Map<string, number>();
  for (const row of perHour) totals.set(row.type, (totals.get(row.type) ?? 0) + row.events);
  return [...totals]
    .map(([type, events]) => ({ type, events }))
    .sort((a, b) => b.events - a.events || a.type.localeCompare(b.type));
}

const minutes = schema.processedEventMinutes;
const codings = schema.sessionCodings;
const fidelity = schema.sessionFidelity;

/**
 * Events recorded per hour and CloudEvents type over the last `hours` hours (whole UTC hours,
 * the one containing `now` included, events of minutes after `now`'s excluded), all-time totals
 * per type, the automatic model versions with how many sessions count each, and the human
 * ratings.
 *
 * The counts come from the ledger's per-minute counts (processed_event_minutes: at most a row
 * per minute and type), and the codings through an index on coded_at, so the page costs the
 * same at ten thousand events an hour as at ten million.
 */
export async function pipelineActivity(db: Database, query: PipelineActivityQuery = {}): Promise<PipelineActivity> {
  const hours = query.hours ?? 24;
  if (!Number.isInteger(hours) || hours < 1) throw new RangeError(`hours must be a positive integer, got ${hours}`);
  const now = query.now ?? new Date();
  const from = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (hours - 1) * HOUR_MS);
  const modelsSince = query.modelVersionsSince ?? new Date(now.getTime() - MODEL_VERSION_DAYS * 24 * HOUR_MS);

  const [perHour, versions, human] = await Promise.all([
    rows<{ hour: string | Date; type: string; events: number }>(
      db,
      sql`
        select date_trunc('hour', ${minutes.minute}, 'UTC') as hour,
          ${minutes.eventType} as type,
          sum(${minutes.events})::int as events
        from ${minutes}
        where ${minutes.minute} >= ${from.toISOString()}::timestamptz
          and ${minutes.minute} <= ${now.toISOString()}::timestamptz
        group by 1, 2
        order by 1, 2`,
    ),
    rows<{ model_version: string; codings: number; sessions_counting: number; last_coded_at: string | Date }>(
      db,
      sql`
        select coalesce(${codings.modelVersion}, ${UNKNOWN_MODEL_VERSION}) as model_version,
          count(*)::int as codings,
          count(${fidelity.sessionId})::int as sessions_counting,
          max(${codings.codedAt}) as last_coded_at
        from ${codings}
        left join ${fidelity} on ${fidelity.sessionId} = ${codings.sessionId}
          and ${fidelity.codingId} = ${codings.codingId}
        where ${codings.kind} = 'automatic' and ${codings.codedAt} >= ${modelsSince.toISOString()}::timestamptz
        group by 1
        order by 4 desc, 1`,
    ),
    rows<{ n: number }>(db, sql`select count(*)::int as n from ${codings} where ${codings.kind} = 'human'`),
  ]);

  return {
    eventsPerHour: perHour.map((row) => ({ hour: isoTime(row.hour) ?? "", type: row.type, events: row.events })),
    totals: totalsOf(perHour),
    modelVersions: versions.map((row) => ({
      modelVersion: row.model_version,
      codings: row.codings,
      sessionsCounting: row.sessions_counting,
      lastCodedAt: isoTime(row.last_coded_at) ?? "",
    })),
    humanRatings: human[0]?.n ?? 0,
  };
}
