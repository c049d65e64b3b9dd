import { mean, variance } from "./descriptive.ts";
import { normalCriticalValue, tCriticalValue } from "./distributions.ts";
import {
  assertConfidence,
  assertCounts,
  assertFiniteNumber,
  assertFiniteValues,
  assertWholeNumber,
} from "./validation.ts";

/*
 * Confidence intervals for a single proportion and a single mean.
 */

export interface ProportionInterval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * The sufficient statistics of one group's mean: n, the mean and the sample variance (divisor
 * n − 1), as PostgreSQL's count(x), avg(x) and var_samp(x) return them.
 */
export interface GroupSummary {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

export interface MeanInterval {
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
  readonly sd: number;
}

/**
 * The Wilson score interval for successes/trials (Wilson 1927; Newcombe 1998, method 3, no
 * continuity correction): the proportions p whose score test |p̂ − p| / √(p(1 − p)/n) ≤ z,
 *   (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n).
 * Unlike the Wald interval it stays inside [0, 1] and keeps its coverage near 0 and 1, where
 * clinic rates (e.g. drop-out in a small cohort) often sit. Null when trials = 0.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval | null {
  assertConfidence(confidence);
  assertCounts(successes, trials, "wilsonInterval");
  if (trials === 0) return null;
  const z = normalCriticalValue(confidence);
  const estimate = successes / trials;
  const zSquaredOverN = (z * z) / trials;
  const denominator = 1 + zSquaredOverN;
  const centre = (estimate + zSquaredOverN / 2) / denominator;
  const halfWidth = (z * Math.sqrt((estimate * (1 - estimate)) / trials + zSquaredOverN / (4 * trials))) / denominator;
  // At 0 or n successes a bound is exactly 0 or 1 in theory; clamping removes ±1e-17 round-off.
  return {
    estimate,
    lower: Math.max(0, centre - halfWidth),
    upper: Math.min(1, centre + halfWidth),
  };
}

/**
 * Checks a group summary with n ≥ 2 (smaller n give null before the mean and variance are
 * read: PostgreSQL's var_samp is NULL below 2 rows, avg below 1). `name` prefixes the fields.
 */
export function assertGroupSummary(summary: GroupSummary, name: string): void {
  assertFiniteNumber(summary.mean, `${name}.mean`);
  assertFiniteNumber(summary.variance, `${name}.variance`, true);
}

/**
 * The t-based interval for a mean from its summary: x̄ ± t(1 − α/2; n − 1)·s/√n (Student
 * 1908), s the square root of the sample variance. Null for n < 2, where the standard
 * deviation, and so the interval, is undefined (the mean and variance are then not read).
 */
export function meanIntervalFromSummary(summary: GroupSummary, confidence = 0.95): MeanInterval | null {
  assertConfidence(confidence);
  const { n } = summary;
  assertWholeNumber(n, "summary.n");
  if (n < 2) return null;
  assertGroupSummary(summary, "summary");
  const centre = summary.mean;
  const sd = Math.sqrt(summary.variance);
  const margin = (tCriticalValue(confidence, n - 1) * sd) / Math.sqrt(n);
  return { mean: centre, lower: centre - margin, upper: centre + margin, n, sd };
}

/**
 * The t-based interval for the mean of `values` (see meanIntervalFromSummary, given the mean
 * and the two-pass sample variance). Null for fewer than 2 values.
 */
export function meanInterval(values: readonly number[], confidence = 0.95): MeanInterval | null {
  assertConfidence(confidence);
  assertFiniteValues(values, "values");
  return meanIntervalFromSummary({ n: values.length, mean: mean(values), variance: variance(values) }, confidence);
}
