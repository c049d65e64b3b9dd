import { icc21 } from "@evoke/statistics";
import { classifyPrepared, mitiCodes, type UtteranceModels } from "./classify.ts";
import { codeSession } from "./code.ts";
import type { Corpora } from "./corpora.ts";
import { estimateGlobals, GLOBAL_NAMES, type GlobalsModel } from "./globals.ts";
import { MITI_CODES, type MitiCode } from "./miti.ts";
import type { CoderModel } from "./model.ts";
import { classificationScores, rocAuc } from "./scores.ts";
import { THRESHOLD_PRESETS } from "./thresholds.ts";
import { TOPIC_GROUPS, type TopicGroup, topicGroup } from "./topics.ts";
import { type Corpus, FOLD_SEED, FOLDS, foldsOf, measuresUnder, trainCalibrated, trainCoder } from "./train.ts";
import { CLIENT_CATEGORIES, THERAPIST_CATEGORIES } from "./transcript.ts";
import { countBehaviours } from "./volleys.ts";
import type { BEHAVIOURS } from "./written.ts";

/*
 * `mi eval`: every figure is measured on material the scored models never saw, and everything
 * tuned (decision offsets, stance thresholds, the globals' calibration) is chosen inside the
 * training part of each split (train.ts: trainCalibrated).
 * - grouped CV: 5 folds of AnnoMI by transcript (Evoke's written set joins every training part);
 * - leave one topic out: train on the other change goals, test on the held-out one; written
 *   items about the held-out goal are left out of training too;
 * - the written hold-out set: written separately, never trained on, per MITI code;
 * - session checks: whole written sessions, never trained on, against their expected verdicts.
 */

export interface SplitReport {
  readonly folds: number;
  readonly sessions: number;
  readonly therapist: ReturnType<typeof classificationScores>;
  readonly client: ReturnType<typeof classificationScores>;
  /** Accuracy of simple vs complex on expert reflections the coder also called reflections. */
  readonly reflectionSubtypeAccuracy: number;
  /** How well the mean estimated global separates high- from low-quality sessions. */
  readonly qualityAuc: number;
  /** ICC(2,1) of session R:Q and %CR, coder vs experts (both through the volley rules). */
  readonly iccReflectionToQuestion: number;
  readonly iccPercentComplex: number;
}

export interface TopicReport {
  readonly topic: TopicGroup;
  readonly sessions: number;
  readonly therapistMacroF1: number;
  readonly clientMacroF1: number;
}

export interface CodeScores {
  readonly code: MitiCode;
  readonly support: number;
  readonly precision: number;
  readonly recall: number;
}

export interface HoldoutReport {
  readonly therapistItems: number;
  readonly perCode: readonly CodeScores[];
  /** Items labelled Confront or Persuade that were coded Confront or Persuade. */
  readonly nonAdherentRecall: number;
  /** MI-adherent items (Affirm, Seek or Autonomy, no Confront or Persuade) coded Confront or Persuade. */
  readonly adherentCodedNonAdherent: number;
  /** Every item without Confront or Persuade that was coded Confront or Persuade. */
  readonly otherCodedNonAdherent: number;
  readonly client: ReturnType<typeof classificationScores>;
}

export interface SessionCheck {
  readonly id: string;
  readonly kind: string;
  readonly technical: number;
  readonly relational: number;
  readonly percentComplexReflections: number | null;
  readonly reflectionToQuestion: number | null;
  readonly totalMiNonAdherent: number;
  readonly expected: { readonly technical: string; readonly relational: string };
  readonly passed: boolean;
}

export interface EvaluationReport {
  readonly groupedCv: SplitReport;
  readonly leaveOneTopicOut: SplitReport & { readonly perTopic: readonly TopicReport[] };
  readonly holdout: HoldoutReport;
  readonly sessionChecks: readonly SessionCheck[];
}

function rqAndPcr(corpus: Corpus, codesOf: (index: number) => readonly MitiCode[]) {
  const { counts } = countBehaviours(corpus.prepared, codesOf);
  const reflections = counts.simpleReflection + counts.complexReflection;
  return {
    rq: counts.question === 0 ? null : reflections / counts.question,
    pcr: reflections === 0 ? null : counts.complexReflection / reflections,
  };
}

/** The experts' labels through the same MITI mapping (coder v1's rules for what AnnoMI lacks). */
function expertCodes(corpus: Corpus): (index: number) => readonly MitiCode[] {
  return (index) => {
    const utterance = corpus.session.utterances[index];
    if (utterance?.therapist === undefined) return [];
    return mitiCodes(
      corpus.prepared,
      index,
      utterance.therapist,
      utterance.therapist === "reflection" ? (utterance.reflection ?? "simple") : undefined,
      utterance.therapist === "input" ? (utterance.input ?? "information") : undefined,
    ).codes;
  };
}

interface Tally {
  therapistTruth: string[];
  therapistPredicted: string[];
  clientTruth: string[];
  clientPredicted: string[];
  reflectionsRight: number;
  reflectionsSeen: number;
  meanGlobals: number[];
  high: boolean[];
  rqPairs: number[][];
  pcrPairs: number[][];
}

const emptyTally = (): Tally => ({
  therapistTruth: [],
  therapistPredicted: [],
  clientTruth: [],
  clientPredicted: [],
  reflectionsRight: 0,
  reflectionsSeen: 0,
  meanGlobals: [],
  high: [],
  rqPairs: [],
  pcrPairs: [],
});

function score(tally: Tally, held: readonly Corpus[], models: UtteranceModels, globals: GlobalsModel): void {
  for (const corpus of held) {
    const coded = classifyPrepared(models, corpus.prepared, corpus.vectors);
    corpus.session.utterances.forEach((utterance, index) => {
      const prediction = coded[index];
      if (prediction === undefined) return;
      if (utterance.therapist !== undefined) {
        tally.therapistTruth.push(utterance.therapist);
        tally.therapistPredicted.push(prediction.category);
        if (
          utterance.therapist === "reflection" &&
          utterance.reflection !== undefined &&
          prediction.category === "reflection"
        ) {
          tally.reflectionsSeen += 1;
          if (prediction.reflection === utterance.reflection) tally.reflectionsRight += 1;
        }
      } else if (utterance.client !== undefined) {
        tally.clientTruth.push(utterance.client);
        tally.clientPredicted.push(prediction.category);
      }
    });
    const ratings = estimateGlobals(globals, measuresUnder(models, corpus));
    tally.meanGlobals.push(GLOBAL_NAMES.reduce((sum, name) => sum + ratings[name], 0) / GLOBAL_NAMES.length);
    tally.high.push(corpus.session.quality === "high");
    const coder = rqAndPcr(corpus, (index) => coded[index]?.codes ?? []);
    const expert = rqAndPcr(corpus, expertCodes(corpus));
    if (coder.rq !== null && expert.rq !== null) tally.rqPairs.push([coder.rq, expert.rq]);
    if (coder.pcr !== null && expert.pcr !== null) tally.pcrPairs.push([coder.pcr, expert.pcr]);
  }
}

function report(tally: Tally, folds: number, sessions: number): SplitReport {
  return {
    folds,
    sessions,
    therapist: classificationScores(THERAPIST_CATEGORIES, tally.therapistTruth, tally.therapistPredicted),
    client: classificationScores(CLIENT_CATEGORIES, tally.clientTruth, tally.clientPredicted),
    reflectionSubtypeAccuracy:
      tally.reflectionsSeen === 0 ? Number.NaN : tally.reflectionsRight / tally.reflectionsSeen,
    qualityAuc: rocAuc(tally.meanGlobals, tally.high),
    iccReflectionToQuestion: icc21(tally.rqPairs),
    iccPercentComplex: icc21(tally.pcrPairs),
  };
}

/** Which AnnoMI topic group a written item's behaviour belongs to (for leave-one-topic-out). */
const BEHAVIOUR_GROUP: Record<(typeof BEHAVIOURS)[number], TopicGroup> = {
  alcohol: "alcohol",
  smoking: "smoking",
  drugs: "drugs",
  diet: "diet-exercise",
  exercise: "diet-exercise",
  medication: "health-care",
  gambling: "other",
};

function groupOf(corpus: Corpus): TopicGroup {
  return corpus.session.source === "written"
    ? BEHAVIOUR_GROUP[corpus.session.topic as (typeof BEHAVIOURS)[number]]
    : topicGroup(corpus.session.topic);
}

export function groupedCv(corpora: Corpora, onStep?: (step: string) => void): SplitReport {
  const folds = foldsOf(corpora.annomi, FOLDS, FOLD_SEED);
  const tally = emptyTally();
  folds.forEach((held, f) => {
    onStep?.(`grouped CV fold ${f + 1}/${FOLDS}`);
    const training = [...folds.filter((_, i) => i !== f).flat(), ...corpora.written];
    const { models, globals } = trainCalibrated(training);
    score(tally, held, models, globals);
  });
  return report(tally, FOLDS, corpora.annomi.length);
}

export function leaveOneTopicOut(
  corpora: Corpora,
  onStep?: (step: string) => void,
): SplitReport & { readonly perTopic: readonly TopicReport[] } {
  const tally = emptyTally();
  const perTopic: TopicReport[] = [];
  for (const topic of TOPIC_GROUPS) {
    const held = corpora.annomi.filter((corpus) => groupOf(corpus) === topic);
    if (held.length === 0) continue;
    onStep?.(`leave one topic out: ${topic} (${held.length} sessions)`);
    const training = [...corpora.annomi, ...corpora.written].filter((corpus) => groupOf(corpus) !== topic);
    const { models, globals } = trainCalibrated(training);
    const own = emptyTally();
    score(own, held, models, globals);
    score(tally, held, models, globals);
    const scores = report(own, 1, held.length);
    perTopic.push({
      topic,
      sessions: held.length,
      therapistMacroF1: scores.therapist.macroF1,
      clientMacroF1: scores.client.macroF1,
    });
  }
  return { ...report(tally, perTopic.length, corpora.annomi.length), perTopic };
}

const NON_ADHERENT: readonly MitiCode[] = ["Confront", "Persuade"];
const ADHERENT: readonly MitiCode[] = ["AF", "Seek", "EA"];

export function holdoutReport(model: CoderModel, holdout: readonly Corpus[]): HoldoutReport {
  const therapist: { truth: readonly MitiCode[]; coded: readonly MitiCode[] }[] = [];
  const clientTruth: string[] = [];
  const clientPredicted: string[] = [];
  for (const corpus of holdout) {
    const coded = classifyPrepared(model, corpus.prepared, corpus.vectors);
    corpus.session.utterances.forEach((utterance, index) => {
      const prediction = coded[index];
      if (prediction === undefined) return;
      if (utterance.miti !== undefined) therapist.push({ truth: utterance.miti, coded: prediction.codes });
      if (utterance.client !== undefined) {
        clientTruth.push(utterance.client);
        clientPredicted.push(prediction.category);
      }
    });
  }
  const share = (rows: typeof therapist, hit: (row: (typeof therapist)[number]) => boolean) =>
    rows.length === 0 ? Number.NaN : rows.filter(hit).length / rows.length;
  const isNonAdherent = (codes: readonly MitiCode[]) => codes.some((code) => NON_ADHERENT.includes(code));
  return {
    therapistItems: therapist.length,
    perCode: MITI_CODES.map((code) => {
      const truePositive = therapist.filter((row) => row.truth.includes(code) && row.coded.includes(code)).length;
      const support = therapist.filter((row) => row.truth.includes(code)).length;
      const predicted = therapist.filter((row) => row.coded.includes(code)).length;
      return {
        code,
        support,
        precision: predicted === 0 ? Number.NaN : truePositive / predicted,
        recall: support === 0 ? Number.NaN : truePositive / support,
      };
    }),
    nonAdherentRecall: share(
      therapist.filter((row) => isNonAdherent(row.truth)),
      (row) => isNonAdherent(row.coded),
    ),
    adherentCodedNonAdherent: share(
      therapist.filter((row) => !isNonAdherent(row.truth) && row.truth.some((code) => ADHERENT.includes(code))),
      (row) => isNonAdherent(row.coded),
    ),
    otherCodedNonAdherent: share(
      therapist.filter((row) => !isNonAdherent(row.truth)),
      (row) => isNonAdherent(row.coded),
    ),
    client: classificationScores(CLIENT_CATEGORIES, clientTruth, clientPredicted),
  };
}

export function sessionChecks(model: CoderModel, sessions: Corpora["sessions"]): SessionCheck[] {
  return sessions.map(({ written, corpus }) => {
    const { summary } = codeSession(
      model,
      { sessionId: written.id, utterances: corpus.session.utterances },
      THRESHOLD_PRESETS.manual,
      corpus.vectors,
    );
    const meets = (verdict: string, expected: string) =>
      expected === "below-fair" ? verdict === "below fair" : verdict === "fair" || verdict === "good";
    return {
      id: written.id,
      kind: written.kind,
      technical: summary.technical,
      relational: summary.relational,
      percentComplexReflections: summary.percentComplexReflections,
      reflectionToQuestion: summary.reflectionToQuestion,
      totalMiNonAdherent: summary.totalMiNonAdherent,
      expected: written.expected,
      passed:
        meets(summary.verdicts.technical, written.expected.technical) &&
        meets(summary.verdicts.relational, written.expected.relational),
    };
  });
}

export function evaluate(corpora: Corpora, onStep?: (step: string) => void): EvaluationReport {
  const cv = groupedCv(corpora, onStep);
  const topics = leaveOneTopicOut(corpora, onStep);
  onStep?.("all training data, for the hold-out set and session checks");
  const trained = trainCoder(corpora, "e5-small-v2-q");
  const model: CoderModel = { ...trained, version: "evaluation" };
  return {
    groupedCv: cv,
    leaveOneTopicOut: topics,
    holdout: holdoutReport(model, corpora.holdout),
    sessionChecks: sessionChecks(model, corpora.sessions),
  };
}
