import { mean, variance } from "./descriptive.ts";
import { tCriticalValue, twoSidedNormalPValue, twoSidedTPValue } from "./distributions.ts";
import { assertGroupSummary, type GroupSummary, wilsonInterval } from "./intervals.ts";
import { assertConfidence, assertCounts, assertFiniteValues, assertWholeNumber } from "./validation.ts";

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
 * Welch's unequal-variances t-test of mean(a) = mean(b) (Welch 1947), as R's t.test, from the
 * two groups' summaries (n, mean, sample variance; see GroupSummary):
 * t = (x̄_a − x̄_b)/√(s_a²/n_a + s_b²/n_b) with Welch–Satterthwaite degrees of freedom
 * (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1)), two-sided.
 * Hedges' g is Cohen's d on the pooled SD times the small-sample correction
 * J ≈ 1 − 3/(4(n_a + n_b) − 9) (Hedges 1981).
 *
 * Null if either n is below 2 (the means and variances are then not read). If both variances
 * are 0 the test is undefined: t is ±Infinity (NaN when the means are equal), and df and p
 * are NaN.
 */
export function welchTTestFromSummaries(a: GroupSummary, b: GroupSummary, confidence = 0.95): WelchTTest | null {
  assertConfidence(confidence);
  assertWholeNumber(a.n, "a.n");
  assertWholeNumber(b.n, "b.n");
  if (a.n < 2 || b.n < 2) return null;
  assertGroupSummary(a, "a");
  assertGroupSummary(b, "b");
  const squaredErrorA = a.variance / a.n;
  const squaredErrorB = b.variance / b.n;
  const standardError = Math.sqrt(squaredErrorA + squaredErrorB);
  const meanDifference = a.mean - b.mean;
  const t = meanDifference / standardError;
  const degreesOfFreedom =
    (squaredErrorA + squaredErrorB) ** 2 / (squaredErrorA ** 2 / (a.n - 1) + squaredErrorB ** 2 / (b.n - 1));
  const margin = tCriticalValue(confidence, degreesOfFreedom) * standardError;
  const pooledSd = Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2));
  const smallSampleCorrection = 1 - 3 / (4 * (a.n + b.n) - 9);
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

/**
 * Welch's t-test of raw values: welchTTestFromSummaries of each group's n, mean and two-pass
 * sample variance. Null if either group has fewer than 2 values.
 */
export function welchTTest(a: readonly number[], b: readonly number[], confidence = 0.95): WelchTTest | null {
  assertConfidence(confidence);
  assertFiniteValues(a, "a");
  assertFiniteValues(b, "b");
  return welchTTestFromSummaries(
    { n: a.length, mean: mean(a), variance: variance(a) },
    { n: b.length, mean: mean(b), variance: variance(b) },
    confidence,
  );
}

/**
 * One row of a two-group frequency table: how many observations of group a and of group b
 * have `value`. In SQL: `SELECT value, count(*) FILTER (WHERE grp = 'a') AS a,
 * count(*) FILTER (WHERE grp = 'b') AS b ... GROUP BY value`.
 */
export interface FrequencyRow {
  readonly value: number;
  readonly a: number;
  readonly b: number;
}

/**
 * The Mann-Whitney U test (Mann & Whitney 1947), two-sided, by the normal approximation as R's
 * wilcox.test(a, b, exact = FALSE, correct = TRUE), from a frequency table: rows in any order,
 * a value in several rows counting as their sum. The distinct values, sorted, form the tie
 * groups; a group of t = a + b observations after c smaller ones shares the mid-rank
 * c + (t + 1)/2, so R_a = Σ a·(c + (t + 1)/2) and U_a = R_a − n_a(n_a + 1)/2. Then
 * Var(U) = n_a·n_b/12 · (N + 1 − Σ(t³ − t)/(N(N − 1))) and z = (U_a − n_a·n_b/2 ∓ ½)/√Var(U)
 * with the continuity correction towards 0. Effect size: the rank-biserial correlation
 * 2U_a/(n_a·n_b) − 1 (Wendt 1972; Kerby 2014). The work grows with the distinct values, not
 * the observations: ideal for scores on a short scale.
 *
 * Null if a group has no observations. When every value is tied, Var(U) = 0 and z and p are
 * NaN. Throws unless values are finite and counts whole numbers ≥ 0.
 */
export function mannWhitneyUFromFrequencies(table: readonly FrequencyRow[]): MannWhitneyU | null {
  const merged = new Map<number, { a: number; b: number }>();
  table.forEach((row, i) => {
    if (!Number.isFinite(row.value)) throw new RangeError(`table row ${i}: value must be a finite number`);
    assertWholeNumber(row.a, `table row ${i}: a`);
    assertWholeNumber(row.b, `table row ${i}: b`);
    const counts = merged.get(row.value);
    if (counts) {
      counts.a += row.a;
      counts.b += row.b;
    } else merged.set(row.value, { a: row.a, b: row.b });
  });
  const groups = [...merged.entries()].sort(([first], [second]) => first - second).map(([, counts]) => counts);
  const sizeA = groups.reduce((sum, counts) => sum + counts.a, 0);
  const sizeB = groups.reduce((sum, counts) => sum + counts.b, 0);
  if (sizeA === 0 || sizeB === 0) return null;
  const total = sizeA + sizeB;
  let below = 0;
  let rankSumA = 0;
  let tieSum = 0;
  for (const { a, b } of groups) {
    const size = a + b;
    rankSumA += a * (below + (size + 1) / 2);
    tieSum += size ** 3 - size;
    below += size;
  }
  const u = rankSumA - (sizeA * (sizeA + 1)) / 2;
  const pairs = sizeA * sizeB;
  const tieTerm = tieSum / (total * (total - 1));
  const standardDeviation = Math.sqrt((pairs / 12) * (total + 1 - tieTerm));
  const deviation = u - pairs / 2;
  const z = standardDeviation === 0 ? Number.NaN : (deviation - 0.5 * Math.sign(deviation)) / standardDeviation;
  return { u, z, pValue: twoSidedNormalPValue(z), rankBiserial: (2 * u) / pairs - 1 };
}

/**
 * The Mann-Whitney U test of raw values: mannWhitneyUFromFrequencies of their frequency table
 * (see there). Null if a group is empty.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyU | null {
  assertFiniteValues(a, "a");
  assertFiniteValues(b, "b");
  return mannWhitneyUFromFrequencies([
    ...a.map((value) => ({ value, a: 1, b: 0 })),
    ...b.map((value) => ({ value, a: 0, b: 1 })),
  ]);
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
