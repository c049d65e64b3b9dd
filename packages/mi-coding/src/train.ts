import type { LabelledSession } from "./annomi.ts";
import { classifySession, type UtteranceModels } from "./classify.ts";
import { featuresOf, prepare } from "./features.ts";
import { foldsByTranscript } from "./folds.ts";
import { fitGlobals, type GlobalsModel } from "./globals.ts";
import { type TrainingOptions, type TrainingSample, trainLinearModel } from "./linear-model.ts";
import type { CoderModel } from "./model.ts";
import { meanProbabilities, sessionMeasures } from "./session-features.ts";
import {
  CLIENT_CATEGORIES,
  type ClientCategory,
  INPUT_TYPES,
  type InputType,
  REFLECTION_TYPES,
  type ReflectionType,
  THERAPIST_CATEGORIES,
  type TherapistCategory,
} from "./transcript.ts";
import { countBehaviours } from "./volleys.ts";

/**
 * Chosen by 5-fold cross-validation on the training split among a handful of settings
 * (L2 1e-4-1e-3, class weighting 0-1), not tuned further: the coder is also judged on
 * transcripts it never saw.
 */
export const TRAINING_OPTIONS: TrainingOptions = { l2: 2e-4, minCount: 2, classWeightPower: 0.5, maxIterations: 200 };

/** Folds for fitting the globals on out-of-fold codes, and for `mi eval`. */
export const FOLDS = 5;
export const FOLD_SEED = 20_260_314;

interface Samples {
  therapist: TrainingSample<TherapistCategory>[];
  client: TrainingSample<ClientCategory>[];
  reflection: TrainingSample<ReflectionType>[];
  input: TrainingSample<InputType>[];
}

function samplesOf(sessions: readonly LabelledSession[]): Samples {
  const samples: Samples = { therapist: [], client: [], reflection: [], input: [] };
  for (const session of sessions) {
    const prepared = prepare(session.utterances);
    session.utterances.forEach((utterance, index) => {
      const features = featuresOf(prepared, index);
      if (utterance.client !== undefined) samples.client.push({ features, label: utterance.client });
      if (utterance.therapist !== undefined) samples.therapist.push({ features, label: utterance.therapist });
      // Subtypes are labelled wherever a reflection or input occurs, also inside utterances whose
      // main behaviour is another: all of them teach the subtype.
      if (utterance.reflection !== undefined) samples.reflection.push({ features, label: utterance.reflection });
      if (utterance.input !== undefined) samples.input.push({ features, label: utterance.input });
    });
  }
  return samples;
}

export function trainUtteranceModels(
  sessions: readonly LabelledSession[],
  options: TrainingOptions = TRAINING_OPTIONS,
): UtteranceModels {
  const samples = samplesOf(sessions);
  return {
    therapist: trainLinearModel(samples.therapist, THERAPIST_CATEGORIES, options),
    client: trainLinearModel(samples.client, CLIENT_CATEGORIES, options),
    reflection: trainLinearModel(samples.reflection, REFLECTION_TYPES, options),
    input: trainLinearModel(samples.input, INPUT_TYPES, options),
  };
}

/** The session measures of a session as coded by `models`. */
export function measuresUnder(models: UtteranceModels, session: LabelledSession) {
  const coded = classifySession(models, session.utterances);
  const { counts, volleys } = countBehaviours(session.utterances, (index) => coded[index]?.codes ?? []);
  const client = coded.filter((utterance) => utterance.speaker === "client");
  const talk = {
    change: client.filter((utterance) => utterance.category === "change").length,
    sustain: client.filter((utterance) => utterance.category === "sustain").length,
    clientTurns: client.length,
  };
  return sessionMeasures(counts, volleys, talk, session.utterances, meanProbabilities(coded));
}

/**
 * Fits the global-rating models on codes the utterance models produced for sessions they did
 * not see (out of fold), so the globals are calibrated to the coder's real errors rather than
 * to the experts' labels.
 */
export function fitGlobalsOutOfFold(
  sessions: readonly LabelledSession[],
  options: TrainingOptions = TRAINING_OPTIONS,
): GlobalsModel {
  const folds = foldsByTranscript(sessions, FOLDS, FOLD_SEED);
  const rows = folds.flatMap((held, f) => {
    const models = trainUtteranceModels(folds.filter((_, i) => i !== f).flat(), options);
    return held.map((session) => ({ measures: measuresUnder(models, session), high: session.quality === "high" }));
  });
  return fitGlobals(rows);
}

export function trainCoder(sessions: readonly LabelledSession[]): Omit<CoderModel, "version"> {
  const utterances = sessions.reduce((sum, session) => sum + session.utterances.length, 0);
  return {
    trainedOn: `AnnoMI training split: ${sessions.length} transcripts, ${utterances} utterances`,
    ...trainUtteranceModels(sessions),
    globals: fitGlobalsOutOfFold(sessions),
  };
}
