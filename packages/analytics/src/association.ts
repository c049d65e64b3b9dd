import { type Database, episodeStatus, observableAt, retainedAt, schema } from "@evoke/db";
import {
  type Coefficient,
  type Correlation,
  linearRegressionFromMoments,
  multipleRegressionFromCrossProducts,
  pearsonCorrelationFromMoments,
} from "@evoke/statistics";
import { type SQL, sql } from "drizzle-orm";
import { rows } from "./estimates.ts";
import { type EpisodeFilter, episodeCondition } from "./filters.ts";
import { DEFAULT_READINESS_MEASURE, type ReadinessMeasure, readinessCondition } from "./readiness.ts";
import { DEFAULT_RETENTION_DEFINITIONS, type RetentionDefinitions } from "./retention.ts";
import type { SummaryScore } from "./scores.ts";

/*
 * Analytic 4, fidelity against outcomes: the data behind a scatter plot of each client's mean
 * session fidelity against an outcome, a fitted line with its 95% confidence band, and the
 * association statistics, also adjusted for baseline readiness where it was measured. These
 * are associations, not effects: motivated clients also draw better MI from their therapists
 * (Imel 2011), so the direction of any link is unknown (mi-domain.md section 6).
 *
 * Everything is computed in PostgreSQL from sufficient statistics (regr_* aggregates and cross
 * products), so a programme of any size costs one scan; the points are a deterministic sample.
 */

export const ASSOCIATION_NOTE =
  "Association, not effect: clients who are readier to change also draw better MI from their therapists " +
  "(Imel 2011), so this shows how fidelity and outcomes go together, not what fidelity causes.";

/** A client's fidelity: the mean over the episode's coded sessions of one MITI summary score. */
export type FidelityMeasure = SummaryScore;

/** The client_outcomes column holding each measure's episode mean. */
export const FIDELITY_MEAN_COLUMNS: Record<FidelityMeasure, string> = {
  technical: "technical_mean",
  relational: "relational_mean",
  percentComplexReflections: "percent_complex_reflections_mean",
  reflectionToQuestion: "reflection_to_question_mean",
};

export type OutcomeMeasure =
  | { readonly kind: "readinessChange"; readonly measure?: ReadinessMeasure }
  | { readonly kind: "sessionsAttended" }
  /** 1 if retained at day `days`, else 0 (a linear probability model: the slope is a difference in share). */
  | { readonly kind: "retained"; readonly days: number };

export interface AssociationQuery {
  readonly filter?: EpisodeFilter;
  readonly fidelity?: FidelityMeasure;
  readonly outcome: OutcomeMeasure;
  /** The readiness measured at the start, adjusted for (default the readiness ruler's readiness item); null: none. */
  readonly baseline?: ReadinessMeasure | null;
  /**
   * What a point is: an enrolment episode (default), or a therapist with the means of their
   * episodes (their main therapist's), which makes it an association between therapists.
   */
  readonly unit?: "client" | "therapist";
  /** Points returned for the plot (default 1,000; at most 5,000). The statistics use every episode. */
  readonly sampleSize?: number;
  readonly definitions?: RetentionDefinitions;
  readonly asOf?: Date;
}

export interface FittedLine {
  readonly n: number;
  readonly intercept: number;
  readonly slope: number;
  readonly slopeLower: number;
  readonly slopeUpper: number;
  readonly slopePValue: number;
  readonly rSquared: number;
  /** The fitted mean and its 95% confidence band across the range of fidelity seen. */
  readonly band: readonly { x: number; fit: number; lower: number; upper: number }[];
}

export interface Association {
  readonly fidelity: FidelityMeasure;
  readonly outcome: OutcomeMeasure;
  readonly unit: "client" | "therapist";
  /** Episodes (or therapists) with both a coded session and the outcome. */
  readonly n: number;
  readonly points: readonly { x: number; y: number; baseline: number | null; therapistId?: string | null }[];
  readonly fit: FittedLine | null;
  readonly correlation: Correlation | null;
  /** The fidelity slope holding baseline readiness fixed, over episodes where it was measured. */
  readonly adjusted: { readonly n: number; readonly fidelity: Coefficient; readonly baseline: Coefficient } | null;
  readonly note: string;
}

const outcomes = schema.clientOutcomes;
const changes = schema.readinessChanges;
const BAND_POINTS = 25;

const sameMeasure = (a: ReadinessMeasure, b: ReadinessMeasure) => a.instrument === b.instrument && a.item === b.item;

/**
 * A CTE `episode_data` with one row per episode: `sample_key` (a hash of the client and
 * programme, for a deterministic sample; no text conversion of the timestamp), the episode's
 * `enrolled_at`, `unit_id` (its main therapist), x (fidelity), y (outcome), b (baseline or null).
 */
function associationData(query: AssociationQuery): SQL {
  const filter = query.filter ?? {};
  const fidelityColumn = FIDELITY_MEAN_COLUMNS[query.fidelity ?? "technical"];
  const x = sql.raw(`e.${fidelityColumn}::float8`);
  const baseline = query.baseline === undefined ? DEFAULT_READINESS_MEASURE : query.baseline;
  const { outcome } = query;
  const key = sql`hashtext(e.client_id || '|' || e.programme_id) as sample_key, e.enrolled_at, e.therapist_id as unit_id`;

  if (outcome.kind === "readinessChange") {
    // The change's own first measurement is its baseline (on the latest measurement's scale).
    const measure = outcome.measure ?? DEFAULT_READINESS_MEASURE;
    // readiness_changes copies the Technical and Relational means; the others come from the episode.
    const copied = fidelityColumn === "technical_mean" || fidelityColumn === "relational_mean";
    const episodeX = copied ? x : sql.raw(`o.${fidelityColumn}::float8`);
    const episodeJoin = copied
      ? sql``
      : sql`join ${outcomes} o on o.client_id = e.client_id and o.programme_id = e.programme_id
          and o.enrolled_at = e.enrolled_at`;
    return sql`episode_data as (
      select ${key}, ${episodeX} as x, e.change::float8 as y, (e.latest_value - e.change)::float8 as b
      from (select * from ${changes} where ${readinessCondition(filter, measure)}) e ${episodeJoin}
      where e.measurements >= 2 and e.coded_sessions > 0
    )`;
  }

  // The default baseline is stored on the outcome row; another measure is looked up.
  const baselineJoin =
    baseline === null || sameMeasure(baseline, DEFAULT_READINESS_MEASURE)
      ? sql``
      : sql`left join ${changes} b on b.client_id = e.client_id and b.programme_id = e.programme_id
          and b.enrolled_at = e.enrolled_at and b.instrument = ${baseline.instrument} and b.item = ${baseline.item}`;
  const baselineValue =
    baseline === null
      ? sql`null::float8`
      : sameMeasure(baseline, DEFAULT_READINESS_MEASURE)
        ? sql`e.baseline_readiness::float8`
        : sql`(b.latest_value - b.change)::float8`;
  const coded = sql`(select * from ${outcomes} where ${episodeCondition(filter)} and ${outcomes.codedSessions} > 0)`;

  if (outcome.kind === "sessionsAttended") {
    return sql`episode_data as (
      select ${key}, ${x} as x, e.sessions_attended::float8 as y, ${baselineValue} as b
      from ${coded} e ${baselineJoin}
    )`;
  }
  const asOf = query.asOf ?? new Date();
  const source = sql`(select c.*, null::text as grp from ${coded} c)`;
  const days = sql`${outcome.days}::float8`;
  return sql`${episodeStatus(source, query.definitions ?? DEFAULT_RETENTION_DEFINITIONS, asOf)},
    episode_data as (
      select ${key}, ${x} as x, (case when ${retainedAt(days)} then 1 else 0 end)::float8 as y,
        ${baselineValue} as b
      from episodes e ${baselineJoin}
      where ${observableAt(days)}
    )`;
}

interface Sums {
  n: number;
  mean_x: number | null;
  mean_y: number | null;
  sxx: number | null;
  syy: number | null;
  sxy: number | null;
  min_x: number | null;
  max_x: number | null;
  nb: number;
  sx: number;
  sb: number;
  sy: number;
  sxx_raw: number;
  sxb: number;
  sbb: number;
  sxy_raw: number;
  sby: number;
  syy_raw: number;
}

/**
 * The CTEs ending in `data`, the rows the statistics run over: the episodes themselves, or one
 * row per therapist holding the means of their episodes (an association between therapists).
 */
function unitData(query: AssociationQuery): SQL {
  const episodes = associationData(query);
  if (query.unit !== "therapist") return sql`${episodes}, data as (select * from episode_data)`;
  return sql`${episodes}, data as (
    select hashtext(unit_id) as sample_key, min(enrolled_at) as enrolled_at, unit_id,
      avg(x) as x, avg(y) as y, avg(b) as b
    from episode_data where unit_id is not null and x is not null and y is not null
    group by unit_id
  )`;
}

export async function fidelityOutcomeAssociation(db: Database, query: AssociationQuery): Promise<Association> {
  const data = unitData(query);
  const sampleSize = Math.min(Math.max(query.sampleSize ?? 1_000, 0), 5_000);
  const [[sums], points] = await Promise.all([
    rows<Sums>(
      db,
      sql`with ${data}
      select regr_count(y, x)::int as n, regr_avgx(y, x)::float8 as mean_x, regr_avgy(y, x)::float8 as mean_y,
        regr_sxx(y, x)::float8 as sxx, regr_syy(y, x)::float8 as syy, regr_sxy(y, x)::float8 as sxy,
        min(x)::float8 as min_x, max(x)::float8 as max_x,
        count(*) filter (where b is not null and x is not null and y is not null)::int as nb,
        coalesce(sum(x) filter (where b is not null and y is not null), 0)::float8 as sx,
        coalesce(sum(b) filter (where x is not null and y is not null), 0)::float8 as sb,
        coalesce(sum(y) filter (where b is not null and x is not null), 0)::float8 as sy,
        coalesce(sum(x * x) filter (where b is not null and y is not null), 0)::float8 as sxx_raw,
        coalesce(sum(x * b) filter (where y is not null), 0)::float8 as sxb,
        coalesce(sum(b * b) filter (where x is not null and y is not null), 0)::float8 as sbb,
        coalesce(sum(x * y) filter (where b is not null), 0)::float8 as sxy_raw,
        coalesce(sum(b * y) filter (where x is not null), 0)::float8 as sby,
        coalesce(sum(y * y) filter (where b is not null and x is not null), 0)::float8 as syy_raw
      from data`,
    ),
    // A deterministic sample: the same episodes every time for the same data.
    rows<{ x: number; y: number; b: number | null; unit_id: string | null }>(
      db,
      sql`with ${data}
        select x, y, b, unit_id from data where x is not null and y is not null
        order by sample_key, enrolled_at limit ${sampleSize}`,
    ),
  ]);

  const n = sums?.n ?? 0;
  const moments =
    sums && sums.mean_x !== null && sums.mean_y !== null && sums.sxx !== null && sums.syy !== null && sums.sxy !== null
      ? { n, meanX: sums.mean_x, meanY: sums.mean_y, sxx: sums.sxx, syy: sums.syy, sxy: sums.sxy }
      : undefined;
  const regression = moments ? linearRegressionFromMoments(moments) : null;
  const fit: FittedLine | null =
    regression && sums?.min_x != null && sums.max_x != null
      ? {
          n: regression.n,
          intercept: regression.intercept,
          slope: regression.slope,
          slopeLower: regression.slopeLower,
          slopeUpper: regression.slopeUpper,
          slopePValue: regression.slopePValue,
          rSquared: regression.rSquared,
          band: regression.band(grid(sums.min_x, sums.max_x, BAND_POINTS)),
        }
      : null;

  let adjusted: Association["adjusted"] = null;
  if (sums && sums.nb > 0) {
    const model = multipleRegressionFromCrossProducts({
      n: sums.nb,
      names: ["fidelity", "baseline readiness"],
      xtx: [
        [sums.nb, sums.sx, sums.sb],
        [sums.sx, sums.sxx_raw, sums.sxb],
        [sums.sb, sums.sxb, sums.sbb],
      ],
      xty: [sums.sy, sums.sxy_raw, sums.sby],
      yty: sums.syy_raw,
    });
    const fidelity = model?.coefficients.find((coefficient) => coefficient.name === "fidelity");
    const baseline = model?.coefficients.find((coefficient) => coefficient.name === "baseline readiness");
    if (model && fidelity && baseline) adjusted = { n: model.n, fidelity, baseline };
  }

  return {
    fidelity: query.fidelity ?? "technical",
    outcome: query.outcome,
    n,
    unit: query.unit ?? "client",
    points: points.map((point) => ({
      x: point.x,
      y: point.y,
      baseline: point.b,
      ...(query.unit === "therapist" ? { therapistId: point.unit_id } : {}),
    })),
    fit,
    correlation: moments ? pearsonCorrelationFromMoments(moments) : null,
    adjusted,
    note: ASSOCIATION_NOTE,
  };
}

function grid(from: number, to: number, count: number): number[] {
  if (from === to) return [from];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}
