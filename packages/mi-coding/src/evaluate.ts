import { icc21 } from "@evoke/statistics";
import type { LabelledSession } from "./annomi.ts";
import { classifySession, mitiCodes, type UtteranceModels } from "./classify.ts";
import { prepare } from "./features.ts";
import { foldsByTranscript } from "./folds.ts";
import { estimateGlobals, GLOBAL_NAMES } from "./globals.ts";
import type { MitiCode } from "./miti.ts";
import { classificationScores, rocAuc } from "./scores.ts";
import { FOLD_SEED, FOLDS, fitGlobalsOutOfFold, measuresUnder, trainUtteranceModels } from "./train.ts";
import { CLIENT_CATEGORIES, THERAPIST_CATEGORIES } from "./transcript.ts";
import { countBehaviours } from "./volleys.ts";

/*
 * `mi eval`: 5-fold cross-validation grouped by transcript on the training split. Everything
 * a held-out fold is scored with (utterance models and the global-rating calibration) is fitted
 * on the other folds only.
 */

export interface EvaluationReport {
  readonly folds: number;
  readonly therapist: ReturnType<typeof classificationScores>;
  readonly client: ReturnType<typeof classificationScores>;
  /** Accuracy of simple vs complex on utterances the experts coded as reflections. */
  readonly reflectionSubtypeAccuracy: number;
  /** How well the mean estimated global separates high- from low-quality sessions. */
  readonly qualityAuc: number;
  /** ICC(2,1) of session R:Q and %CR, coder vs experts (both through the volley rules). */
  readonly iccReflectionToQuestion: number;
  readonly iccPercentComplex: number;
  readonly sessions: number;
}

function rqAndPcr(utterances: LabelledSession["utterances"], codesOf: (index: number) => readonly MitiCode[]) {
  const { counts } = countBehaviours(utterances, codesOf);
  const reflections = counts.simpleReflection + counts.complexReflection;
  return {
    rq: counts.question === 0 ? null : reflections / counts.question,
    pcr: reflections === 0 ? null : counts.complexReflection / reflections,
  };
}

function expertCodes(session: LabelledSession): (index: number) => readonly MitiCode[] {
  const prepared = prepare(session.utterances);
  return (index) => {
    const utterance = session.utterances[index];
    if (utterance?.therapist === undefined) return [];
    return mitiCodes(
      prepared,
      index,
      utterance.therapist,
      utterance.therapist === "reflection" ? (utterance.reflection ?? "simple") : undefined,
      utterance.therapist === "input" ? (utterance.input ?? "information") : undefined,
    ).codes;
  };
}

export function evaluate(sessions: readonly LabelledSession[], onFold?: (fold: number) => void): EvaluationReport {
  const folds = foldsByTranscript(sessions, FOLDS, FOLD_SEED);
  const therapistTruth: string[] = [];
  const therapistPredicted: string[] = [];
  const clientTruth: string[] = [];
  const clientPredicted: string[] = [];
  let reflectionsRight = 0;
  let reflectionsSeen = 0;
  const meanGlobals: number[] = [];
  const high: boolean[] = [];
  const rqPairs: number[][] = [];
  const pcrPairs: number[][] = [];

  folds.forEach((held, f) => {
    onFold?.(f + 1);
    const training = folds.filter((_, i) => i !== f).flat();
    const models: UtteranceModels = trainUtteranceModels(training);
    const globals = fitGlobalsOutOfFold(training);
    for (const session of held) {
      const coded = classifySession(models, session.utterances);
      session.utterances.forEach((utterance, index) => {
        const prediction = coded[index];
        if (prediction === undefined) return;
        if (utterance.therapist !== undefined) {
          therapistTruth.push(utterance.therapist);
          therapistPredicted.push(prediction.category);
          if (
            utterance.therapist === "reflection" &&
            utterance.reflection !== undefined &&
            prediction.category === "reflection"
          ) {
            reflectionsSeen += 1;
            if (prediction.reflection === utterance.reflection) reflectionsRight += 1;
          }
        } else if (utterance.client !== undefined) {
          clientTruth.push(utterance.client);
          clientPredicted.push(prediction.category);
        }
      });
      const ratings = estimateGlobals(globals, measuresUnder(models, session));
      meanGlobals.push(GLOBAL_NAMES.reduce((sum, name) => sum + ratings[name], 0) / GLOBAL_NAMES.length);
      high.push(session.quality === "high");
      const coder = rqAndPcr(session.utterances, (index) => coded[index]?.codes ?? []);
      const expert = rqAndPcr(session.utterances, expertCodes(session));
      if (coder.rq !== null && expert.rq !== null) rqPairs.push([coder.rq, expert.rq]);
      if (coder.pcr !== null && expert.pcr !== null) pcrPairs.push([coder.pcr, expert.pcr]);
    }
  });

  return {
    folds: FOLDS,
    therapist: classificationScores(THERAPIST_CATEGORIES, therapistTruth, therapistPredicted),
    client: classificationScores(CLIENT_CATEGORIES, clientTruth, clientPredicted),
    reflectionSubtypeAccuracy: reflectionsSeen === 0 ? Number.NaN : reflectionsRight / reflectionsSeen,
    qualityAuc: rocAuc(meanGlobals, high),
    iccReflectionToQuestion: icc21(rqPairs),
    iccPercentComplex: icc21(pcrPairs),
    sessions: sessions.length,
  };
}
