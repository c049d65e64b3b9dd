import { mean, variance } from "./descriptive.ts";
import { tCriticalValue, twoSidedNormalPValue, twoSidedTPValue } from "./distributions.ts";
import { wilsonInterval } from "./intervals.ts";
import { assertConfidence, assertCounts, assertFiniteValues } from "./validation.ts";

/*
 * Two-group comparisons: Welch's t-test, the Mann-Whitney U test and the difference of two
 * proportions, each with an effect size a clinician can read next to the p-value.
 */

export interface WelchTTest {
  readonly t: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** mean(a) − mean(b), with its confidence interval. */
  readonly meanDifference: number;
  readonly lower: number;
  readonly upper: number;
  readonly hedgesG: number;
}

export interface MannWhitneyU {
  /** U for group a: the number of (a, b) pairs with a > b, ties counting ½. */
  readonly u: number;
  readonly z: number;
  readonly pValue: number;
  /** 2U/(n_a·n_b) − 1, in [−1, 1]: positive when a tends to be larger. */
  readonly rankBiserial: number;
}

export interface ProportionDifference {
  /** p_a − p_b. */
  readonly difference: number;
  readonly lower: number;
  readonly upper: number;
  readonly z: number;
  readonly pValue: number;
  readonly cohensH: number;
}

/**
 * Welch's unequal-variances t-test of mean(a) = mean(b) (Welch 1947), as R's t.test:
 * t = (x̄_a − x̄_b)/√(s_a²/n_a + s_b²/n_b) with Welch–Satterthwaite degrees of freedom
 * (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)), two-sided.
 * Hedges' g is Cohen's d on the pooled SD times the small-sample correction
 * J ≈ 1 − 3/(4(n_a + n_b) − 9) (Hedges 1981).
 *
 * Null if either group has fewer than 2 values. If both groups are constant the test is
 * undefined: t is ±Infinity (NaN when the means are equal), and df and p are NaN.
 */
export function welchTTest(a: readonly number[], b: readonly number[], confidence = 0.95): WelchTTest | null {
  assertConfidence(confidence);
  assertFiniteValues(a, "a");
  assertFiniteValues(b, "b");
  if (a.length < 2 || b.length < 2) return null;
  const varianceA = variance(a);
  const varianceB = variance(b);
  const squaredErrorA = varianceA / a.length;
  const squaredErrorB = varianceB / b.length;
  const standardError = Math.sqrt(squaredErrorA + squaredErrorB);
  const meanDifference = mean(a) - mean(b);
  const t = meanDifference / standardError;
  const degreesOfFreedom =
    (squaredErrorA + squaredErrorB) ** 2 / (squaredErrorA ** 2 / (a.length - 1) + squaredErrorB ** 2 / (b.length - 1));
  const margin = tCriticalValue(confidence, degreesOfFreedom) * standardError;
  const pooledSd = Math.sqrt(((a.length - 1) * varianceA + (b.length - 1) * varianceB) / (a.length + b.length - 2));
  const smallSampleCorrection = 1 - 3 / (4 * (a.length + b.length) - 9);
  return {
    t,
    degreesOfFreedom,
    pValue: twoSidedTPValue(t, degreesOfFreedom),
    meanDifference,
    lower: meanDifference - margin,
    upper: meanDifference + margin,
    hedgesG: (meanDifference / pooledSd) * smallSampleCorrection,
  };
}

/** Mid-ranks (1-based; tied values share the mean of their ranks) and the sizes of the tie groups. */
function midRanks(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = Array.from({ length: values.length }, () => 0);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i += 1) ranks[order[i]?.index ?? 0] = rank;
    tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

/**
 * The Mann-Whitney U test (Mann & Whitney 1947), two-sided, by the normal approximation as R's
 * wilcox.test(a, b, exact = FALSE, correct = TRUE): U_a = R_a − n_a(n_a + 1)/2 from mid-ranks,
 * Var(U) = n_a·n_b/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))) for tie groups of size t, and
 * z = (U_a − n_a·n_b/2 ∓ ½)/√Var(U) with the continuity correction towards 0. Effect size:
 * the rank-biserial correlation 2U_a/(n_a·n_b) − 1 (Wendt 1972; Kerby 2014).
 *
 * Null if a group is empty. When every value is tied, Var(U) = 0 and z and p are NaN.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyU | null {
  assertFiniteValues(a, "a");
  assertFiniteValues(b, "b");
  if (a.length === 0 || b.length === 0) return null;
  const total = a.length + b.length;
  const { ranks, tieSizes } = midRanks([...a, ...b]);
  const rankSumA = ranks.slice(0, a.length).reduce((sum, rank) => sum + rank, 0);
  const u = rankSumA - (a.length * (a.length + 1)) / 2;
  const pairs = a.length * b.length;
  const tieTerm = tieSizes.reduce((sum, size) => sum + size ** 3 - size, 0) / (total * (total - 1));
  const standardDeviation = Math.sqrt((pairs / 12) * (total + 1 - tieTerm));
  const deviation = u - pairs / 2;
  const z = standardDeviation === 0 ? Number.NaN : (deviation - 0.5 * Math.sign(deviation)) / standardDeviation;
  return { u, z, pValue: twoSidedNormalPValue(z), rankBiserial: (2 * u) / pairs - 1 };
}

/**
 * The difference of two independent proportions p_a − p_b with:
 * - the Newcombe hybrid score interval (Newcombe 1998, method 10), built from the two Wilson
 *   intervals (l, u): [δ − √((p_a − l_a)² + (u_b − p_b)²), δ + √((u_a − p_a)² + (p_b − l_b)²)];
 * - the pooled two-proportion z-test, two-sided: z = δ/√(p̄(1 − p̄)(1/n_a + 1/n_b));
 * - Cohen's h = 2·asin√p_a − 2·asin√p_b (Cohen 1988).
 * Null when a trials count is 0. When the pooled proportion is 0 or 1 (no variation at all)
 * z and p are NaN.
 */
export function proportionDifference(
  successesA: number,
  trialsA: number,
  successesB: number,
  trialsB: number,
  confidence = 0.95,
): ProportionDifference | null {
  assertConfidence(confidence);
  assertCounts(successesA, trialsA, "proportionDifference group a");
  assertCounts(successesB, trialsB, "proportionDifference group b");
  const intervalA = wilsonInterval(successesA, trialsA, confidence);
  const intervalB = wilsonInterval(successesB, trialsB, confidence);
  if (!intervalA || !intervalB) return null;
  const pA = intervalA.estimate;
  const pB = intervalB.estimate;
  const difference = pA - pB;
  const pooled = (successesA + successesB) / (trialsA + trialsB);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  const z = standardError === 0 ? Number.NaN : difference / standardError;
  return {
    difference,
    lower: difference - Math.hypot(pA - intervalA.lower, intervalB.upper - pB),
    upper: difference + Math.hypot(intervalA.upper - pA, pB - intervalB.lower),
    z,
    pValue: twoSidedNormalPValue(z),
    cohensH: 2 * Math.asin(Math.sqrt(pA)) - 2 * Math.asin(Math.sqrt(pB)),
  };
}
