import { type Database, schema } from "@evoke/db";
import { type Thresholds, type Verdict, verdict } from "@evoke/mi-coding";
import { type SQL, sql } from "drizzle-orm";
import { isoTime, rows } from "./estimates.ts";
import {
  type FidelitySource,
  factKey,
  groupedFidelityStatistics,
  type StatisticsGrouping,
  sourceOf,
} from "./fidelity-statistics.ts";
import { type SessionScope, sessionCondition } from "./filters.ts";
import { DEFAULT_THRESHOLDS, type ScoreSummaries, scoreAggregates, scoreSummaries } from "./scores.ts";

/*
 * Analytic 1, fidelity: MITI summary scores per session, and per therapist, programme or
 * period with the share of sessions meeting fair and good on each score (Wilson 95% intervals).
 * A session's fidelity is its human rating where there is one, else its latest automatic coding.
 */

export type FidelityGrouping = StatisticsGrouping;

export interface FidelityGroup {
  /** Programme or therapist id, the period's first day (YYYY-MM-DD, UTC), or "all". */
  readonly key: string;
  /** The programme's or therapist's name, where the events gave one. */
  readonly label: string | null;
  readonly sessions: number;
  /** Of which rated by a human coder (the rest coded automatically). */
  readonly humanRated: number;
  readonly scores: ScoreSummaries;
}

export interface FidelityQuery {
  readonly scope?: SessionScope;
  readonly by: FidelityGrouping;
  readonly thresholds?: Thresholds;
  /** Default: the rollups, unless the thresholds are not the ones they count at. */
  readonly source?: FidelitySource;
}

const fidelity = schema.sessionFidelity;

/** Periods are grouped as timestamps (cheap) and formatted as YYYY-MM-DD once per group. */
function keyText(by: FidelityGrouping): SQL {
  return by === "week" || by === "month" || by === "quarter"
    ? sql`to_char(grouped.group_key, 'YYYY-MM-DD')`
    : sql`grouped.group_key::text`;
}

function labelOf(by: FidelityGrouping): SQL {
  if (by === "programme") return sql`(select name from programmes where programme_id = grouped.group_key)`;
  if (by === "therapist") return sql`(select display_name from therapists where therapist_id = grouped.group_key)`;
  return sql`null::text`;
}

/** Fidelity summarised per group, ordered by key. Groups without coded sessions are absent. */
export async function fidelityByGroup(db: Database, query: FidelityQuery): Promise<FidelityGroup[]> {
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const grouped =
    sourceOf(query.source, thresholds) === "rollups"
      ? groupedFidelityStatistics(query.scope ?? {}, query.by)
      : sql`(
        select ${factKey(query.by)} as group_key,
          count(*)::int as sessions,
          (count(*) filter (where ${fidelity.kind} = 'human'))::int as human_rated,
          ${scoreAggregates(thresholds)}
        from ${fidelity}
        where ${sessionCondition(query.scope ?? {})}
        group by 1
      )`;
  const found = await rows<Record<string, unknown> & { key: string | null; label: string | null }>(
    db,
    sql`
      with grouped as ${grouped}
      select grouped.*, ${keyText(query.by)} as key, ${labelOf(query.by)} as label from grouped order by grouped.group_key`,
  );
  return found.map((row) => ({
    key: row.key ?? "(none)",
    label: row.label,
    sessions: row.sessions as number,
    humanRated: row.human_rated as number,
    scores: scoreSummaries(row),
  }));
}

export interface SessionFidelity {
  readonly sessionId: string;
  readonly clientId: string | null;
  readonly therapistId: string | null;
  readonly programmeId: string | null;
  readonly sessionTime: string;
  readonly kind: "human" | "automatic";
  readonly technical: number;
  readonly relational: number;
  readonly percentComplexReflections: number | null;
  readonly reflectionToQuestion: number | null;
  readonly verdicts: {
    readonly technical: Verdict;
    readonly relational: Verdict;
    readonly percentComplexReflections: Verdict;
    readonly reflectionToQuestion: Verdict;
  };
}

/** What a session list can be ordered by: its time, who (therapist by name, client), how coded, or a score. */
export const SESSION_ORDERS = [
  "time",
  "therapist",
  "client",
  "technical",
  "relational",
  "percentComplexReflections",
  "reflectionToQuestion",
  "kind",
] as const;
export type SessionOrder = (typeof SESSION_ORDERS)[number];

export interface SessionFidelityQuery {
  readonly scope?: SessionScope;
  readonly thresholds?: Thresholds;
  /** Default: by time, most recent first. Sessions without a value (a %CR with no reflections) come last either way. */
  readonly orderBy?: SessionOrder;
  readonly direction?: "asc" | "desc";
  /** At most 1,000 a page. */
  readonly limit?: number;
  readonly offset?: number;
  /** Where the total is counted: the rollups (default) or the facts. */
  readonly source?: FidelitySource;
}

function orderColumn(order: SessionOrder): SQL {
  switch (order) {
    case "therapist":
      // By the name people see; therapists without one by id, after the named.
      return sql`coalesce((select display_name from therapists where therapist_id = ${fidelity.therapistId}), ${fidelity.therapistId})`;
    case "client":
      return sql`${fidelity.clientId}`;
    case "kind":
      return sql`${fidelity.kind}`;
    case "time":
      return sql`${fidelity.sessionTime}`;
    default:
      return sql`${fidelity[order]}`;
  }
}

/** Sessions in scope with their scores and verdicts, a page at a time, in the order asked (newest first by default). */
export async function sessionFidelity(
  db: Database,
  query: SessionFidelityQuery,
): Promise<{ total: number; sessions: SessionFidelity[] }> {
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const condition = sessionCondition(query.scope ?? {});
  const orderBy = query.orderBy ?? "time";
  const direction = query.direction ?? (orderBy === "time" ? "desc" : "asc");
  const [[count], page] = await Promise.all([
    rows<{ total: number }>(
      db,
      query.source === "facts"
        ? sql`select count(*)::int as total from ${fidelity} where ${condition}`
        : sql`select coalesce(sum(totals.sessions), 0)::int as total from ${groupedFidelityStatistics(query.scope ?? {}, "all")} totals`,
    ),
    db
      .select()
      .from(fidelity)
      .where(condition)
      .orderBy(
        // session_time is never null: without "nulls last" its order is the session_time index's,
        // read backwards, so the newest page of a million sessions is an index scan, not a sort.
        sql`${orderColumn(orderBy)} ${direction === "asc" ? sql`asc` : sql`desc`}${orderBy === "time" ? sql`` : sql` nulls last`}`,
        // Ties (equal scores) newest first, then by id: pages never overlap.
        sql`${fidelity.sessionTime} desc`,
        fidelity.sessionId,
      )
      .limit(Math.min(query.limit ?? 100, 1_000))
      .offset(query.offset ?? 0),
  ]);
  return {
    total: count?.total ?? 0,
    sessions: page.map((row) => ({
      sessionId: row.sessionId,
      clientId: row.clientId,
      therapistId: row.therapistId,
      programmeId: row.programmeId,
      sessionTime: isoTime(row.sessionTime) as string,
      kind: row.kind,
      technical: row.technical,
      relational: row.relational,
      percentComplexReflections: row.percentComplexReflections,
      reflectionToQuestion: row.reflectionToQuestion,
      verdicts: {
        technical: verdict(row.technical, thresholds.technical),
        relational: verdict(row.relational, thresholds.relational),
        percentComplexReflections: verdict(
          row.percentComplexReflections === null ? null : row.percentComplexReflections / 100,
          thresholds.percentComplexReflections,
        ),
        reflectionToQuestion: verdict(row.reflectionToQuestion, thresholds.reflectionToQuestion),
      },
    })),
  };
}
