import { type Database, schema } from "@evoke/db";
import { MITI_BEHAVIOUR_COUNTS, MITI_GLOBAL_RATINGS } from "@evoke/events";
import type { Thresholds } from "@evoke/mi-coding";
import {
  type IccInterpretation,
  icc21FromPairSums,
  icc21IntervalFromPairSums,
  iccInterpretation,
  meanIntervalFromSummary,
} from "@evoke/statistics";
import { type SQL, sql } from "drizzle-orm";
import { isoTime, rows, type Share, share } from "./estimates.ts";
import { type SessionScope, sessionCondition } from "./filters.ts";
import { DEFAULT_THRESHOLDS } from "./scores.ts";

/*
 * Analytic 7, coder agreement: on the sessions a human coder rated and the model also coded,
 * how far the machine can be trusted on this clinic's own data. Per global rating, summary
 * score and behaviour code: ICC(2,1) (absolute agreement) with its 95% interval (McGraw & Wong)
 * and Cicchetti's band, and the mean difference automatic − human with its 95% interval (a
 * bias, if the interval excludes 0).
 *
 * Behaviour counts are compared as rates per 20 minutes: a human rates a (recommended
 * 20-minute) segment, the model the whole session, so raw counts are not comparable. Sessions
 * without both durations are left out of the count comparisons.
 *
 * PostgreSQL pairs each rated session with its latest automatic coding and returns only sums
 * per measure (n, ΣA, ΣH, ΣA², ΣH², ΣAH), from which both statistics follow exactly.
 */

// The measures are named as evoke.fidelity.rated names them (packages/events).
export const GLOBAL_RATINGS = MITI_GLOBAL_RATINGS;
const SUMMARIES = ["technical", "relational", "percentComplexReflections", "reflectionToQuestion"] as const;
export const BEHAVIOUR_COUNTS = MITI_BEHAVIOUR_COUNTS;
type Measure = (typeof GLOBAL_RATINGS)[number] | (typeof SUMMARIES)[number] | (typeof BEHAVIOUR_COUNTS)[number];
type MeasureKind = "global" | "summary" | "code";

export interface MeasureAgreement {
  readonly measure: Measure;
  readonly kind: MeasureKind;
  /** Sessions compared (both codings have the measure). */
  readonly n: number;
  readonly icc: number | null;
  /** The ICC's 95% interval (McGraw & Wong 1996); null where it is undefined (n < 2, perfect agreement). */
  readonly iccInterval: { readonly lower: number; readonly upper: number } | null;
  readonly interpretation: IccInterpretation | null;
  /** Automatic − human: mean and 95% interval. */
  readonly meanDifference: { readonly mean: number; readonly lower: number; readonly upper: number } | null;
}

export interface CoderAgreement {
  /** Sessions with both a human rating and an automatic coding in scope. */
  readonly sessions: number;
  readonly modelVersions: readonly string[];
  readonly measures: readonly MeasureAgreement[];
  /** Share of sessions where both put Technical / Relational in the same band (below fair, fair, good). */
  readonly verdictAgreement: { readonly technical: Share; readonly relational: Share };
}

export interface CoderAgreementQuery {
  /** Which sessions (by programme, therapist, time); its `kind` is ignored. */
  readonly scope?: SessionScope;
  /** Compare this model version's codings (default: each session's latest automatic coding). */
  readonly modelVersion?: string;
  readonly thresholds?: Thresholds;
}

const codings = schema.sessionCodings;
const fidelity = schema.sessionFidelity;
/** Behaviour counts are compared as rates per this many minutes (MITI segments are 20 minutes). */
export const COUNT_RATE_MINUTES = 20;
const MEASURES: readonly [Measure, MeasureKind][] = [
  ...GLOBAL_RATINGS.map((measure): [Measure, MeasureKind] => [measure, "global"]),
  ...SUMMARIES.map((measure): [Measure, MeasureKind] => [measure, "summary"]),
  ...BEHAVIOUR_COUNTS.map((measure): [Measure, MeasureKind] => [measure, "code"]),
];

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The six sums of one measure over the pairs, as m_<i>_n, _a, _h, _aa, _hh, _ah (fixed names). */
function pairSums(measure: Measure, kind: MeasureKind, index: number): SQL {
  const column = snake(measure);
  const a = kind === "code" ? `(a.${column} * ${COUNT_RATE_MINUTES} / nullif(duration_minutes, 0))` : `a.${column}`;
  const h = kind === "code" ? `(h.${column} * ${COUNT_RATE_MINUTES} / nullif(h.segment_minutes, 0))` : `h.${column}`;
  const both = `${a} is not null and ${h} is not null`;
  const name = `m_${index}`;
  return sql.raw(`count(*) filter (where ${both})::int as ${name}_n,
    coalesce(sum(${a}) filter (where ${both}), 0)::float8 as ${name}_a,
    coalesce(sum(${h}) filter (where ${both}), 0)::float8 as ${name}_h,
    coalesce(sum(${a} * ${a}) filter (where ${both}), 0)::float8 as ${name}_aa,
    coalesce(sum(${h} * ${h}) filter (where ${both}), 0)::float8 as ${name}_hh,
    coalesce(sum(${a} * ${h}) filter (where ${both}), 0)::float8 as ${name}_ah`);
}

/** The band (0 below fair, 1 fair, 2 good) of a score under the thresholds. */
function band(column: SQL, threshold: { fair: number; good: number }): SQL {
  return sql`case when ${column} >= ${threshold.good} then 2 when ${column} >= ${threshold.fair} then 1 else 0 end`;
}

export async function coderAgreement(db: Database, query: CoderAgreementQuery = {}): Promise<CoderAgreement> {
  const { kind: _ignored, ...scope } = query.scope ?? {};
  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const modelCondition = query.modelVersion === undefined ? sql`true` : sql`c.model_version = ${query.modelVersion}`;
  const [result] = await rows<Record<string, number> & { sessions: number; models: string[] | null }>(
    db,
    sql`
      with human as (
        select distinct on (h.session_id) h.*, f.duration_minutes from ${codings} h
        -- By primary key per rated session (limit 1 keeps it a lookup, not a scan of all).
        join lateral (
          select ${fidelity.durationMinutes} from ${fidelity}
          where ${fidelity.sessionId} = h.session_id and ${sessionCondition(scope)} limit 1
        ) f on true
        where h.kind = 'human'
        order by h.session_id, h.coded_at desc, h.coding_id desc
      )
      -- Per rated session its latest automatic coding, by index: rated sessions are a small sample.
      select count(*)::int as sessions, array_agg(distinct a.model_version) as models,
        (count(*) filter (where ${band(sql`a.technical`, thresholds.technical)}
          = ${band(sql`h.technical`, thresholds.technical)}))::int as technical_same,
        (count(*) filter (where ${band(sql`a.relational`, thresholds.relational)}
          = ${band(sql`h.relational`, thresholds.relational)}))::int as relational_same,
        ${sql.join(
          MEASURES.map(([measure, kind], index) => pairSums(measure, kind, index)),
          sql`, `,
        )}
      from human h
      join lateral (
        select * from ${codings} c
        where c.session_id = h.session_id and c.kind = 'automatic' and ${modelCondition}
        order by c.coded_at desc, c.coding_id desc limit 1
      ) a on true`,
  );
  const sessions = result?.sessions ?? 0;
  return {
    sessions,
    modelVersions: (result?.models ?? []).filter((model) => model !== null).sort(),
    measures: MEASURES.map(([measure, kind], index) => agreementOn(measure, kind, result ?? {}, `m_${index}`)),
    verdictAgreement: {
      technical: share(result?.technical_same ?? 0, sessions),
      relational: share(result?.relational_same ?? 0, sessions),
    },
  };
}

function agreementOn(
  measure: Measure,
  kind: MeasureKind,
  row: Record<string, unknown>,
  name: string,
): MeasureAgreement {
  const value = (suffix: string) => Number(row[`${name}_${suffix}`] ?? 0);
  const n = value("n");
  const sums = { n, sumA: value("a"), sumB: value("h"), sumAA: value("aa"), sumBB: value("hh"), sumAB: value("ah") };
  const icc = icc21FromPairSums(sums);
  const iccInterval = icc21IntervalFromPairSums(sums);
  // Differences d = A − H: Σd = ΣA − ΣH and Σd² = ΣA² − 2ΣAH + ΣH².
  const meanDifference = n === 0 ? 0 : (sums.sumA - sums.sumB) / n;
  const squares = sums.sumAA - 2 * sums.sumAB + sums.sumBB;
  const variance = n < 2 ? 0 : Math.max(0, (squares - n * meanDifference ** 2) / (n - 1));
  const interval = n < 2 ? null : meanIntervalFromSummary({ n, mean: meanDifference, variance });
  return {
    measure,
    kind,
    n,
    icc: Number.isNaN(icc) ? null : icc,
    iccInterval: iccInterval === null ? null : { lower: iccInterval.lower, upper: iccInterval.upper },
    interpretation: Number.isNaN(icc) ? null : iccInterpretation(icc),
    meanDifference: interval === null ? null : { mean: interval.mean, lower: interval.lower, upper: interval.upper },
  };
}

export interface CodingModelVersion {
  readonly modelVersion: string;
  /** Automatic codings this version made of sessions in scope (recodings of a session included). */
  readonly codings: number;
  /** Sessions in scope it coded. */
  readonly sessions: number;
  /** Of those, sessions a human also rated: what its agreement can be measured on. */
  readonly humanRatedSessions: number;
  /** Its latest coding of a session in scope, ISO 8601 in UTC. */
  readonly lastCodedAt: string;
}

/**
 * The automatic model versions that coded sessions in scope, most recently used first (so the
 * first is the version in use): how many codings and sessions each, how many of those sessions
 * a human rated too, and when it last coded one. Codings without a version (the event contract
 * requires one) are left out.
 */
export async function codingModelVersions(
  db: Database,
  query: { readonly scope?: SessionScope } = {},
): Promise<CodingModelVersion[]> {
  const { kind: _ignored, ...scope } = query.scope ?? {};
  const found = await rows<{
    model_version: string;
    codings: number;
    sessions: number;
    human_rated_sessions: number;
    last_coded_at: string | Date;
  }>(
    db,
    sql`
      select c.model_version, count(*)::int as codings, count(distinct c.session_id)::int as sessions,
        (count(distinct c.session_id) filter (where exists (
          select 1 from ${codings} h where h.session_id = c.session_id and h.kind = 'human'
        )))::int as human_rated_sessions,
        max(c.coded_at) as last_coded_at
      from ${fidelity}
      join ${codings} c on c.session_id = ${fidelity.sessionId} and c.kind = 'automatic'
      where ${sessionCondition(scope)} and c.model_version is not null
      group by c.model_version
      order by max(c.coded_at) desc, c.model_version`,
  );
  return found.map((row) => ({
    modelVersion: row.model_version,
    codings: row.codings,
    sessions: row.sessions,
    humanRatedSessions: row.human_rated_sessions,
    lastCodedAt: isoTime(row.last_coded_at) ?? "",
  }));
}
