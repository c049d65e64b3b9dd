import { type Database, schema } from "@evoke/db";
import type { Thresholds } from "@evoke/mi-coding";
import { pChart, runChart, type Signal, xmrChart } from "@evoke/statistics";
import { sql } from "drizzle-orm";
import { rows } from "./estimates.ts";
import { type FidelitySource, groupedFidelityStatistics, sourceOf } from "./fidelity-statistics.ts";
import { type SessionScope, sessionCondition } from "./filters.ts";
import { DEFAULT_THRESHOLDS, type SummaryScore, scoreColumn, storedThreshold } from "./scores.ts";

/*
 * Analytic 6, QI series: fidelity week by week or month by month, as the charts QI teams use
 * (mi-domain.md section 7): the mean of a summary score as an XmR (individuals) chart or a run
 * chart, or the share of sessions meeting fair or good as a P chart (Laney's P′ for large
 * denominators), with limits and the special-cause signals.
 */

export type QiMeasure =
  | { readonly kind: "mean"; readonly score: SummaryScore }
  | { readonly kind: "share"; readonly score: SummaryScore; readonly level: "fair" | "good" };

export type QiChartKind = "xmr" | "run" | "p";

export interface QiSeriesQuery {
  readonly scope?: SessionScope;
  readonly interval: "week" | "month";
  readonly measure: QiMeasure;
  /** Default: XmR for a mean, P for a share. A P chart needs a share. */
  readonly chart?: QiChartKind;
  /** P chart only: Laney's P′ limits. */
  readonly laney?: boolean;
  readonly thresholds?: Thresholds;
  /** Default: the rollups, unless the thresholds are not the ones they count at. */
  readonly source?: FidelitySource;
}

export interface QiPoint {
  /** The period's first day, YYYY-MM-DD (weeks start on Monday; UTC). */
  readonly period: string;
  /** Sessions with the score in the period. */
  readonly sessions: number;
  readonly value: number;
  /** Control limits (per point for a P chart); absent on a run chart. */
  readonly lower?: number;
  readonly upper?: number;
  /** The special-cause rules this point is part of. */
  readonly signals: readonly Signal["rule"][];
}

export interface QiSeries {
  readonly chart: QiChartKind;
  readonly interval: "week" | "month";
  readonly measure: QiMeasure;
  /** Mean (XmR), median (run) or overall share (P). */
  readonly centre: number;
  readonly points: readonly QiPoint[];
  readonly signals: readonly Signal[];
  /** XmR: the moving-range chart's centre and upper limit. */
  readonly movingRange?: { readonly centre: number; readonly upperLimit: number };
  /** Laney P′: the between-period variation factor (≈ 1: none beyond binomial). */
  readonly sigmaZ?: number;
}

const fidelity = schema.sessionFidelity;

export async function fidelitySeries(db: Database, query: QiSeriesQuery): Promise<QiSeries> {
  const { measure } = query;
  const chart = query.chart ?? (measure.kind === "mean" ? "xmr" : "p");
  if (chart === "p" && measure.kind !== "share") throw new RangeError("chart: a P chart needs a share measure");
  const column = scoreColumn(measure.score);
  const threshold = storedThreshold(measure.score, query.thresholds ?? DEFAULT_THRESHOLDS);
  const meeting = measure.kind === "share" ? threshold[measure.level] : 0;
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const periods =
    sourceOf(query.source, thresholds) === "rollups"
      ? await rollupPeriods(db, query)
      : await rows<QiPeriod>(
          db,
          // Group on the truncated timestamp and format only the few groups: to_char per row is slow.
          sql`
      select to_char(period, 'YYYY-MM-DD') as period, sessions, mean, meeting from (
        select date_trunc(${query.interval}, ${fidelity.sessionTime} at time zone 'UTC') as period,
          count(${column})::int as sessions, avg(${column})::float8 as mean,
          (count(*) filter (where ${column} >= ${meeting}))::int as meeting
        from ${fidelity}
        where ${sessionCondition(query.scope ?? {})} and ${column} is not null
        group by 1
      ) periods order by periods.period`,
        );
  return qiSeriesOf(periods, { ...query, chart });
}

/** One period's sessions: how many have the score, their mean, and how many meet the level. */
/**
 * The periods' sessions, means and counts at the level from the rollups (which count at the
 * default thresholds: sourceOf checks). A mean chart does not read `meeting`.
 */
async function rollupPeriods(db: Database, query: QiSeriesQuery): Promise<QiPeriod[]> {
  const { measure } = query;
  const name = (suffix: string) => sql.raw(`"${measure.score}_${suffix}"`);
  const meeting = measure.kind === "share" ? name(measure.level) : name("n");
  return rows<QiPeriod>(
    db,
    sql`select to_char(grouped.group_key, 'YYYY-MM-DD') as period, grouped.${name("n")} as sessions,
        grouped.${name("mean")} as mean, grouped.${meeting} as meeting
      from ${groupedFidelityStatistics(query.scope ?? {}, query.interval)} grouped
      where grouped.${name("n")} > 0 order by grouped.group_key`,
  );
}

export interface QiPeriod {
  readonly period: string;
  readonly sessions: number;
  readonly mean: number;
  readonly meeting: number;
}

/**
 * The chart of periods already summarised (e.g. the monthly groups of fidelityByGroup, so a page
 * showing both needs one pass over the sessions, not two).
 */
export function qiSeriesOf(
  periods: readonly QiPeriod[],
  query: Pick<QiSeriesQuery, "interval" | "measure" | "chart" | "laney">,
): QiSeries {
  const { measure } = query;
  const chart = query.chart ?? (measure.kind === "mean" ? "xmr" : "p");
  const values = periods.map((period) => (measure.kind === "mean" ? period.mean : period.meeting / period.sessions));
  const signalsAt = (signals: readonly Signal[], index: number) =>
    signals.filter((signal) => signal.indices.includes(index)).map((signal) => signal.rule);
  const base = { chart, interval: query.interval, measure };

  if (chart === "p") {
    const p = pChart(
      periods.map((period) => ({ successes: period.meeting, trials: period.sessions })),
      { laney: query.laney ?? false },
    );
    return {
      ...base,
      centre: p.centre,
      signals: p.signals,
      ...(p.sigmaZ === undefined ? {} : { sigmaZ: p.sigmaZ }),
      points: periods.map((period, i) => ({
        period: period.period,
        sessions: period.sessions,
        value: values[i] as number,
        lower: p.points[i]?.lower as number,
        upper: p.points[i]?.upper as number,
        signals: signalsAt(p.signals, i),
      })),
    };
  }
  if (chart === "run") {
    const run = runChart(values);
    return {
      ...base,
      centre: run.median,
      signals: run.signals,
      points: periods.map((period, i) => ({
        period: period.period,
        sessions: period.sessions,
        value: values[i] as number,
        signals: signalsAt(run.signals, i),
      })),
    };
  }
  const xmr = xmrChart(values);
  return {
    ...base,
    centre: xmr.centre,
    signals: xmr.signals,
    movingRange: { centre: xmr.movingRangeCentre, upperLimit: xmr.movingRangeUpperLimit },
    points: periods.map((period, i) => ({
      period: period.period,
      sessions: period.sessions,
      value: values[i] as number,
      lower: xmr.lowerLimit,
      upper: xmr.upperLimit,
      signals: signalsAt(xmr.signals, i),
    })),
  };
}
