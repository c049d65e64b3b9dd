import { minimizeLbfgs } from "./lbfgs.ts";

/*
 * Multinomial logistic regression with L2 regularisation, fitted by L-BFGS (deterministic: the
 * same data and options give the same weights). Inputs are sparse binary features, scaled to
 * unit length so a long utterance does not outvote a short one, plus optional dense features
 * (e.g. averaged word vectors).
 */

export interface TrainingSample<Label extends string> {
  readonly features: readonly string[];
  readonly dense?: Float32Array | undefined;
  readonly label: Label;
  /** How much the sample counts (default 1), times its class's weight. */
  readonly weight?: number;
}

export interface TrainingOptions {
  /** L2 penalty on every weight. */
  readonly l2: number;
  /** Features seen in fewer training samples are left out of the vocabulary. */
  readonly minCount: number;
  /** Class weight = (largest class size / class size) ^ power: 0 ignores imbalance, 1 fully rebalances. */
  readonly classWeightPower: number;
  readonly maxIterations: number;
}

export interface LinearModel<Label extends string> {
  readonly labels: readonly Label[];
  readonly vocabulary: ReadonlyMap<string, number>;
  /** Row-major: weights[feature * labels.length + label]; dense inputs follow the vocabulary. */
  readonly weights: Float32Array;
  readonly denseSize: number;
}

interface Encoded {
  readonly features: number[];
  readonly dense: Float32Array | undefined;
  readonly label: number;
  readonly weight: number;
}

function indices(features: readonly string[], vocabulary: ReadonlyMap<string, number>): number[] {
  const seen = new Set<number>();
  for (const feature of features) {
    const index = vocabulary.get(feature);
    if (index !== undefined) seen.add(index);
  }
  return [...seen];
}

/** Class scores (logits) of one encoded sample under `weights`. */
function logitsInto(
  out: Float64Array,
  weights: ArrayLike<number>,
  sample: Pick<Encoded, "features" | "dense">,
  vocabularySize: number,
  classCount: number,
): void {
  const value = sample.features.length === 0 ? 0 : 1 / Math.sqrt(sample.features.length);
  for (let k = 0; k < classCount; k += 1) {
    let score = 0;
    for (const feature of sample.features) score += weights[feature * classCount + k] ?? 0;
    score *= value;
    if (sample.dense !== undefined) {
      for (let d = 0; d < sample.dense.length; d += 1)
        score += (sample.dense[d] ?? 0) * (weights[(vocabularySize + d) * classCount + k] ?? 0);
    }
    out[k] = score;
  }
}

function softmaxInPlace(values: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  let sum = 0;
  for (let k = 0; k < values.length; k += 1) {
    const exp = Math.exp((values[k] ?? 0) - max);
    values[k] = exp;
    sum += exp;
  }
  for (let k = 0; k < values.length; k += 1) values[k] = (values[k] ?? 0) / sum;
}

export function trainLinearModel<Label extends string>(
  samples: readonly TrainingSample<Label>[],
  labels: readonly Label[],
  options: TrainingOptions,
): LinearModel<Label> {
  const documentFrequency = new Map<string, number>();
  for (const sample of samples) {
    for (const feature of new Set(sample.features))
      documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  }
  const kept = [...documentFrequency]
    .filter(([, count]) => count >= options.minCount)
    .map(([feature]) => feature)
    .sort();
  const vocabulary = new Map(kept.map((feature, index) => [feature, index]));
  const denseSize = samples[0]?.dense?.length ?? 0;
  const classCount = labels.length;

  const sizes = labels.map((label) => samples.filter((sample) => sample.label === label).length);
  const largest = Math.max(...sizes);
  const classWeights = sizes.map((size) => (size === 0 ? 0 : (largest / size) ** options.classWeightPower));
  const encoded: Encoded[] = samples
    .map((sample) => {
      const label = labels.indexOf(sample.label);
      return {
        features: indices(sample.features, vocabulary),
        dense: sample.dense,
        label,
        weight: (sample.weight ?? 1) * (classWeights[label] ?? 0),
      };
    })
    .filter((sample) => sample.label >= 0);
  const totalWeight = encoded.reduce((sum, sample) => sum + sample.weight, 0);

  const logits = new Float64Array(classCount);
  // Mean class-weighted cross-entropy plus (l2 / 2)·|w|².
  const objective = (x: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    for (const sample of encoded) {
      logitsInto(logits, x, sample, kept.length, classCount);
      softmaxInPlace(logits);
      const weight = sample.weight / totalWeight;
      loss -= weight * Math.log(Math.max(logits[sample.label] ?? 0, 1e-300));
      const value = sample.features.length === 0 ? 0 : 1 / Math.sqrt(sample.features.length);
      for (let k = 0; k < classCount; k += 1) {
        const error = weight * ((logits[k] ?? 0) - (k === sample.label ? 1 : 0));
        for (const feature of sample.features)
          gradient[feature * classCount + k] = (gradient[feature * classCount + k] ?? 0) + error * value;
        if (sample.dense !== undefined) {
          for (let d = 0; d < sample.dense.length; d += 1) {
            const slot = (kept.length + d) * classCount + k;
            gradient[slot] = (gradient[slot] ?? 0) + error * (sample.dense[d] ?? 0);
          }
        }
      }
    }
    for (let i = 0; i < x.length; i += 1) {
      loss += 0.5 * options.l2 * (x[i] ?? 0) ** 2;
      gradient[i] = (gradient[i] ?? 0) + options.l2 * (x[i] ?? 0);
    }
    return loss;
  };
  const solution = minimizeLbfgs(objective, new Float64Array((kept.length + denseSize) * classCount), {
    maxIterations: options.maxIterations,
    memory: 10,
    tolerance: 1e-6,
  });
  return { labels, vocabulary, weights: Float32Array.from(solution), denseSize };
}

/** Class probabilities for one utterance, in the order of `model.labels`. */
export function predictProbabilities<Label extends string>(
  model: LinearModel<Label>,
  features: readonly string[],
  dense?: Float32Array,
): Float64Array {
  const probabilities = new Float64Array(model.labels.length);
  logitsInto(
    probabilities,
    model.weights,
    { features: indices(features, model.vocabulary), dense },
    model.vocabulary.size,
    model.labels.length,
  );
  softmaxInPlace(probabilities);
  return probabilities;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i += 1) if ((values[i] ?? 0) > (values[best] ?? 0)) best = i;
  return best;
}
