import type { LabelledSession } from "./annomi.ts";
import { tuneOffsets, tuneThreshold } from "./calibration.ts";
import { classifyPrepared, type StanceModels, type UtteranceModels } from "./classify.ts";
import type { EncoderId } from "./encoder/files.ts";
import { denseOf, featuresOf, type PreparedUtterance, prepare } from "./features.ts";
import { fitGlobals, type GlobalsModel } from "./globals.ts";
import { type TrainingOptions, type TrainingSample, trainLinearModel } from "./linear-model.ts";
import type { CoderModel } from "./model.ts";
import { seededRandom, shuffled } from "./random.ts";
import { meanProbabilities, type SessionMeasures, sessionMeasures, talkCounts } from "./session-features.ts";
import { STANCE_CODES, STANCE_LABELS, type StanceCode, type StanceLabel, stanceLabels } from "./stance.ts";
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
 * Coder v2's classifier settings: L2 and class weighting chosen by grouped cross-validation on
 * a selection split (the training part of one outer fold) among a handful of settings, then
 * fixed; the decision offsets and thresholds are chosen inside every training set (below).
 */
export const TRAINING_OPTIONS: TrainingOptions = { l2: 2.5e-4, minCount: 2, classWeightPower: 1, maxIterations: 150 };

/** Folds for the inner calibration and for `mi eval`. */
export const FOLDS = 5;
export const FOLD_SEED = 20_260_314;

/** A labelled session prepared once, with its sentence vectors when the coder reads them. */
export interface Corpus {
  readonly session: LabelledSession;
  readonly prepared: readonly PreparedUtterance[];
  readonly vectors: readonly Float32Array[] | undefined;
}

export function corpusOf(
  sessions: readonly LabelledSession[],
  vectors?: readonly (readonly Float32Array[])[],
): Corpus[] {
  return sessions.map((session, i) => ({ session, prepared: prepare(session.utterances), vectors: vectors?.[i] }));
}

/**
 * Splits training material into k folds: AnnoMI sessions by transcript (never by utterance: a
 * session's utterances are strongly correlated), spreading high- and low-quality sessions evenly;
 * written items spread on their own.
 */
export function foldsOf<T extends { readonly session: LabelledSession }>(
  items: readonly T[],
  k: number,
  seed: number,
): T[][] {
  const random = seededRandom(seed);
  const folds: T[][] = Array.from({ length: k }, () => []);
  const groups = [
    items.filter((item) => item.session.source === "annomi" && item.session.quality === "high"),
    items.filter((item) => item.session.source === "annomi" && item.session.quality === "low"),
    items.filter((item) => item.session.source === "written"),
  ];
  let next = 0;
  for (const group of groups) {
    const ordered = [...group].sort((a, b) => a.session.id.localeCompare(b.session.id, "en", { numeric: true }));
    for (const item of shuffled(ordered, random)) {
      folds[next % k]?.push(item);
      next += 1;
    }
  }
  return folds;
}

interface Samples {
  therapist: TrainingSample<TherapistCategory>[];
  client: TrainingSample<ClientCategory>[];
  reflection: TrainingSample<ReflectionType>[];
  input: TrainingSample<InputType>[];
  stance: Record<StanceCode, TrainingSample<StanceLabel>[]>;
}

function samplesOf(corpora: readonly Corpus[]): Samples {
  const samples: Samples = {
    therapist: [],
    client: [],
    reflection: [],
    input: [],
    stance: Object.fromEntries(STANCE_CODES.map((code) => [code, []])) as unknown as Samples["stance"],
  };
  for (const { session, prepared, vectors } of corpora) {
    session.utterances.forEach((utterance, index) => {
      if (utterance.therapist === undefined && utterance.client === undefined) return;
      const features = featuresOf(prepared, index);
      const dense = vectors === undefined ? undefined : denseOf(prepared, vectors, index);
      if (utterance.client !== undefined) samples.client.push({ features, dense, label: utterance.client });
      if (utterance.therapist !== undefined) samples.therapist.push({ features, dense, label: utterance.therapist });
      // Subtypes are labelled wherever a reflection or input occurs, also inside utterances whose
      // main behaviour is another: all of them teach the subtype.
      if (utterance.reflection !== undefined) samples.reflection.push({ features, dense, label: utterance.reflection });
      if (utterance.input !== undefined) samples.input.push({ features, dense, label: utterance.input });
      const stance = stanceLabels(session, prepared, index);
      for (const code of STANCE_CODES) {
        const label = stance[code];
        if (label !== undefined) samples.stance[code].push({ features, dense, label });
      }
    });
  }
  return samples;
}

/** The classifiers alone, fitted to `corpora`: no offsets, stance thresholds at 0.5. */
export function trainClassifiers(
  corpora: readonly Corpus[],
  options: TrainingOptions = TRAINING_OPTIONS,
  withStance = true,
): UtteranceModels {
  const samples = samplesOf(corpora);
  const models = {
    therapist: trainLinearModel(samples.therapist, THERAPIST_CATEGORIES, options),
    client: trainLinearModel(samples.client, CLIENT_CATEGORIES, options),
    reflection: trainLinearModel(samples.reflection, REFLECTION_TYPES, options),
    input: trainLinearModel(samples.input, INPUT_TYPES, options),
  };
  if (!withStance) return models;
  const stance: StanceModels = {
    detectors: Object.fromEntries(
      STANCE_CODES.map((code) => [code, trainLinearModel(samples.stance[code], STANCE_LABELS, options)]),
    ) as unknown as StanceModels["detectors"],
    thresholds: Object.fromEntries(STANCE_CODES.map((code) => [code, 0.5])) as Record<StanceCode, number>,
  };
  return { ...models, stance };
}

/** The session measures (globals' inputs) of a corpus session as coded by `models`. */
export function measuresUnder(models: UtteranceModels, corpus: Corpus): SessionMeasures {
  const coded = classifyPrepared(models, corpus.prepared, corpus.vectors);
  const { counts, volleys } = countBehaviours(corpus.prepared, (index) => coded[index]?.codes ?? []);
  return sessionMeasures(counts, volleys, talkCounts(coded), corpus.prepared, meanProbabilities(coded), coded);
}

interface Calibrated {
  readonly models: UtteranceModels;
  readonly globals: GlobalsModel;
}

/**
 * Trains the whole coder on `corpora`, choosing everything that is tuned from predictions for
 * material the classifiers did not see: inner folds give out-of-fold class probabilities (for
 * the macro-F1 offsets), stance probabilities (for the detectors' thresholds) and, once those
 * are set, out-of-fold codes of AnnoMI sessions (for the global ratings' calibration, so it
 * learns the coder's real errors rather than the experts' labels).
 */
export function trainCalibrated(
  corpora: readonly Corpus[],
  options: TrainingOptions = TRAINING_OPTIONS,
  onStep?: (step: string) => void,
): Calibrated {
  const folds = foldsOf(corpora, FOLDS, FOLD_SEED + 1);
  const inner = folds.map((held, f) => {
    onStep?.(`inner fold ${f + 1}/${FOLDS}`);
    return { held, models: trainClassifiers(folds.filter((_, i) => i !== f).flat(), options) };
  });

  const therapistRows: { p: Float64Array; truth: number }[] = [];
  const clientRows: { p: Float64Array; truth: number }[] = [];
  const stanceRows = Object.fromEntries(
    STANCE_CODES.map((code) => [code, { scores: [] as number[], positive: [] as boolean[] }]),
  );
  for (const { held, models } of inner) {
    for (const corpus of held) {
      const coded = classifyPrepared(models, corpus.prepared, corpus.vectors);
      corpus.session.utterances.forEach((utterance, index) => {
        const prediction = coded[index];
        if (prediction === undefined) return;
        // Offsets are tuned for AnnoMI's label distribution, the one figures are reported on.
        if (corpus.session.source === "annomi" && utterance.therapist !== undefined)
          therapistRows.push({
            p: probabilitiesOf(prediction.distribution, THERAPIST_CATEGORIES),
            truth: THERAPIST_CATEGORIES.indexOf(utterance.therapist),
          });
        if (corpus.session.source === "annomi" && utterance.client !== undefined)
          clientRows.push({
            p: probabilitiesOf(prediction.distribution, CLIENT_CATEGORIES),
            truth: CLIENT_CATEGORIES.indexOf(utterance.client),
          });
        const labels = stanceLabels(corpus.session, corpus.prepared, index);
        for (const code of STANCE_CODES) {
          const label = labels[code];
          const score = prediction.stance?.[code];
          if (label === undefined || score === undefined) continue;
          stanceRows[code]?.scores.push(score);
          stanceRows[code]?.positive.push(label === "yes");
        }
      });
    }
  }
  const offsets = {
    therapist: tuneOffsets(
      therapistRows.map((row) => row.p),
      therapistRows.map((row) => row.truth),
    ),
    client: tuneOffsets(
      clientRows.map((row) => row.p),
      clientRows.map((row) => row.truth),
    ),
  };
  const thresholds = Object.fromEntries(
    STANCE_CODES.map((code) => [code, tuneThreshold(stanceRows[code]?.scores ?? [], stanceRows[code]?.positive ?? [])]),
  ) as Record<StanceCode, number>;

  const globalsRows = inner.flatMap(({ held, models }) => {
    const tuned = withDecisions(models, offsets, thresholds);
    return held
      .filter((corpus) => corpus.session.source === "annomi")
      .map((corpus) => ({ measures: measuresUnder(tuned, corpus), high: corpus.session.quality === "high" }));
  });
  onStep?.("all training data");
  const final = withDecisions(trainClassifiers(corpora, options), offsets, thresholds);
  return { models: final, globals: fitGlobals(globalsRows) };
}

function probabilitiesOf(distribution: Readonly<Record<string, number>>, labels: readonly string[]): Float64Array {
  return Float64Array.from(labels, (label) => distribution[label] ?? 0);
}

function withDecisions(
  models: UtteranceModels,
  offsets: NonNullable<UtteranceModels["offsets"]>,
  thresholds: Record<StanceCode, number>,
): UtteranceModels {
  if (models.stance === undefined) throw new Error("coder v2 models have stance detectors");
  return { ...models, offsets, stance: { detectors: models.stance.detectors, thresholds } };
}

/** The shipped coder: trained on AnnoMI's training split and Evoke's written set. */
export function trainCoder(
  corpora: { readonly annomi: readonly Corpus[]; readonly written: readonly Corpus[] },
  encoder: EncoderId,
  onStep?: (step: string) => void,
): Omit<CoderModel, "version"> {
  const utterances = corpora.annomi.reduce((sum, corpus) => sum + corpus.session.utterances.length, 0);
  const { models, globals } = trainCalibrated([...corpora.annomi, ...corpora.written], TRAINING_OPTIONS, onStep);
  return {
    trainedOn: `AnnoMI training split (${corpora.annomi.length} transcripts, ${utterances} utterances) and Evoke's written MI set (${corpora.written.length} utterances in context); ${encoder} sentence vectors`,
    encoder,
    ...models,
    globals,
  };
}
