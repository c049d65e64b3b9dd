import { type Database, schema } from "@evoke/db";
import { type Thresholds, verdict } from "@evoke/mi-coding";
import { type IccInterpretation, icc21, iccInterpretation, meanInterval } from "@evoke/statistics";
import { type SQL, sql } from "drizzle-orm";
import { rows, type Share, share } from "./estimates.ts";
import { type SessionScope, sessionCondition } from "./filters.ts";
import { DEFAULT_THRESHOLDS } from "./scores.ts";

/*
 * Analytic 7, coder agreement: on the sessions a human coder rated and the model also coded,
 * how far the machine can be trusted on this clinic's own data. Per global rating, summary
 * score and behaviour code: ICC(2,1) (absolute agreement) with Cicchetti's band, and the mean
 * difference automatic − human with its 95% interval (a bias, if the interval excludes 0).
 *
 * Behaviour counts are compared as rates per 20 minutes: a human rates a (recommended
 * 20-minute) segment, the model the whole session, so raw counts are not comparable. Sessions
 * without both durations are left out of the count comparisons.
 */

const GLOBALS = ["cultivatingChangeTalk", "softeningSustainTalk", "partnership", "empathy"] as const;
const SUMMARIES = ["technical", "relational", "percentComplexReflections", "reflectionToQuestion"] as const;
const CODES = [
  "givingInformation",
  "persuade",
  "persuadeWithPermission",
  "question",
  "simpleReflection",
  "complexReflection",
  "affirm",
  "seekingCollaboration",
  "emphasizingAutonomy",
  "confront",
] as const;
type Measure = (typeof GLOBALS)[number] | (typeof SUMMARIES)[number] | (typeof CODES)[number];

export interface MeasureAgreement {
  readonly measure: Measure;
  readonly kind: "global" | "summary" | "code";
  /** Sessions compared (both codings have the measure). */
  readonly n: number;
  readonly icc: number | null;
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
const COUNT_RATE_MINUTES = 20;

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
/** Both codings' columns, as h_<column> and a_<column> (fixed names from the lists above). */
const pairedColumns: SQL = sql.raw(
  [...GLOBALS, ...SUMMARIES, ...CODES]
    .flatMap((measure) => [`h.${snake(measure)} as h_${snake(measure)}`, `a.${snake(measure)} as a_${snake(measure)}`])
    .join(", "),
);

type PairRow = Record<string, number | null> & {
  model_version: string;
  segment_minutes: number | null;
  duration_minutes: number | null;
};

export async function coderAgreement(db: Database, query: CoderAgreementQuery = {}): Promise<CoderAgreement> {
  const { kind: _ignored, ...scope } = query.scope ?? {};
  const modelCondition =
    query.modelVersion === undefined ? sql`true` : sql`${codings.modelVersion} = ${query.modelVersion}`;
  const pairs = await rows<PairRow>(
    db,
    sql`
      with scoped as (select ${fidelity.sessionId} as session_id from ${fidelity} where ${sessionCondition(scope)}),
      human as (
        select distinct on (session_id) * from ${codings}
        where ${codings.kind} = 'human' and ${codings.sessionId} in (select session_id from scoped)
        order by session_id, coded_at desc, coding_id desc
      ),
      automatic as (
        select distinct on (session_id) * from ${codings}
        where ${codings.kind} = 'automatic' and ${modelCondition}
          and ${codings.sessionId} in (select session_id from scoped)
        order by session_id, coded_at desc, coding_id desc
      )
      select a.model_version, h.segment_minutes, s.duration_minutes, ${pairedColumns}
      from human h join automatic a using (session_id) left join sessions s using (session_id)`,
  );

  const thresholds = query.thresholds ?? DEFAULT_THRESHOLDS;
  const measures = [
    ...GLOBALS.map((measure) => agreementOn(pairs, measure, "global")),
    ...SUMMARIES.map((measure) => agreementOn(pairs, measure, "summary")),
    ...CODES.map((measure) => agreementOn(pairs, measure, "code")),
  ];
  const sameBand = (score: "technical" | "relational") =>
    share(
      pairs.filter(
        (pair) =>
          verdict(pair[`h_${score}`] ?? null, thresholds[score]) ===
          verdict(pair[`a_${score}`] ?? null, thresholds[score]),
      ).length,
      pairs.length,
    );
  return {
    sessions: pairs.length,
    modelVersions: [...new Set(pairs.map((pair) => pair.model_version))].sort(),
    measures,
    verdictAgreement: { technical: sameBand("technical"), relational: sameBand("relational") },
  };
}

function agreementOn(pairs: readonly PairRow[], measure: Measure, kind: MeasureAgreement["kind"]): MeasureAgreement {
  const column = snake(measure);
  const compared = pairs.flatMap((pair) => {
    const human = pair[`h_${column}`];
    const automatic = pair[`a_${column}`];
    if (human == null || automatic == null) return [];
    if (kind !== "code") return [[automatic, human]];
    // Counts: per 20 minutes of what each coder heard.
    if (!pair.segment_minutes || !pair.duration_minutes) return [];
    return [
      [(automatic * COUNT_RATE_MINUTES) / pair.duration_minutes, (human * COUNT_RATE_MINUTES) / pair.segment_minutes],
    ];
  });
  const icc = compared.length >= 2 ? icc21(compared) : Number.NaN;
  const difference = meanInterval(compared.map(([automatic = 0, human = 0]) => automatic - human));
  return {
    measure,
    kind,
    n: compared.length,
    icc: Number.isNaN(icc) ? null : icc,
    interpretation: Number.isNaN(icc) ? null : iccInterpretation(icc),
    meanDifference:
      difference === null ? null : { mean: difference.mean, lower: difference.lower, upper: difference.upper },
  };
}
