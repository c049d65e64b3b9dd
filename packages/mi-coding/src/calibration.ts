/*
 * Decision rules tuned for the minority codes, on predictions the classifiers made for
 * utterances they were not trained on (inner folds of the training data, never the data a
 * figure is reported on):
 * - per-class offsets on the log-probabilities of a multi-class classifier, chosen for
 *   macro-F1 (coordinate ascent on a grid; rare classes such as sustain talk get a lower bar);
 * - a probability threshold per binary detector, chosen for F1.
 */

const GRID = Array.from({ length: 31 }, (_, i) => -1.5 + i * 0.1);

function macroF1(predicted: readonly number[], truth: readonly number[], classCount: number): number {
  let sum = 0;
  for (let k = 0; k < classCount; k += 1) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i += 1) {
      if (predicted[i] === k && truth[i] === k) tp += 1;
      else if (predicted[i] === k) fp += 1;
      else if (truth[i] === k) fn += 1;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classCount;
}

function decide(logProbabilities: readonly Float64Array[], offsets: readonly number[]): number[] {
  return logProbabilities.map((scores) => {
    let best = 0;
    for (let k = 1; k < scores.length; k += 1)
      if ((scores[k] ?? 0) + (offsets[k] ?? 0) > (scores[best] ?? 0) + (offsets[best] ?? 0)) best = k;
    return best;
  });
}

/**
 * Offsets (first class fixed at 0) that maximise macro-F1 of argmax(log p + offset). Ties keep
 * the smaller change, so with no evidence the offsets stay at 0.
 */
export function tuneOffsets(probabilities: readonly ArrayLike<number>[], truth: readonly number[]): number[] {
  const classCount = probabilities[0]?.length ?? 0;
  const logs = probabilities.map((row) => Float64Array.from(row, (p) => Math.log(Math.max(p, 1e-12))));
  const offsets = new Array<number>(classCount).fill(0);
  let score = macroF1(decide(logs, offsets), truth, classCount);
  for (let pass = 0; pass < 3; pass += 1) {
    let improved = false;
    for (let k = 1; k < classCount; k += 1) {
      for (const value of GRID) {
        const trial = offsets.slice();
        trial[k] = value;
        const trialScore = macroF1(decide(logs, trial), truth, classCount);
        const better =
          trialScore > score + 1e-9 ||
          (Math.abs(trialScore - score) <= 1e-9 && Math.abs(value) < Math.abs(offsets[k] ?? 0));
        if (better) {
          offsets[k] = value;
          score = trialScore;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return offsets.map((value) => Math.round(value * 10) / 10);
}

/** The threshold in [0.1, 0.9] that maximises F1 of "score ≥ threshold"; 0.5 without positives. */
export function tuneThreshold(scores: readonly number[], positive: readonly boolean[]): number {
  if (!positive.some(Boolean)) return 0.5;
  let best = 0.5;
  let bestF1 = -1;
  for (let step = 10; step <= 90; step += 1) {
    const threshold = step / 100;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    scores.forEach((score, i) => {
      if (score >= threshold && positive[i]) tp += 1;
      else if (score >= threshold) fp += 1;
      else if (positive[i]) fn += 1;
    });
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    // Ties go to the higher threshold: when unsure, the lower code (the manual's rule).
    if (f1 >= bestF1) {
      best = threshold;
      bestF1 = f1;
    }
  }
  return best;
}
