import chiSquareCdfOf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdfOf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileOf from "@stdlib/stats-base-dists-normal-quantile";
import tCdfOf from "@stdlib/stats-base-dists-t-cdf";
import tQuantileOf from "@stdlib/stats-base-dists-t-quantile";

/*
 * Typed, named wrappers around the @stdlib distribution functions, plus the two-sided
 * critical values and p-values every test in this package needs. The binomial quantile is
 * hand-written: no @stdlib binomial package is installed and it is a short exact sum.
 */

/** Φ(x), the standard normal CDF. */
export function standardNormalCdf(x: number): number {
  return normalCdfOf(x, 0, 1);
}

/** Φ⁻¹(p), the standard normal quantile. */
export function standardNormalQuantile(probability: number): number {
  return normalQuantileOf(probability, 0, 1);
}

/** The CDF of Student's t with `degreesOfFreedom` (need not be a whole number, as in Welch's test). */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  return tCdfOf(t, degreesOfFreedom);
}

/** The quantile of Student's t with `degreesOfFreedom`. */
export function studentTQuantile(probability: number, degreesOfFreedom: number): number {
  return tQuantileOf(probability, degreesOfFreedom);
}

/**
 * P(X ≥ x) for X ~ χ²(degreesOfFreedom), as 1 − CDF: p-values below about 1e-16 round to 0,
 * which is fine for reporting.
 */
export function chiSquareUpperTail(x: number, degreesOfFreedom: number): number {
  return 1 - chiSquareCdfOf(x, degreesOfFreedom);
}

/** z such that a standard normal lies within ±z with probability `confidence` (1.96 for 0.95). */
export function normalCriticalValue(confidence: number): number {
  return standardNormalQuantile(1 - (1 - confidence) / 2);
}

/** t such that Student's t with `degreesOfFreedom` lies within ±t with probability `confidence`. */
export function tCriticalValue(confidence: number, degreesOfFreedom: number): number {
  return studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom);
}

/** Two-sided p-value of a standard normal statistic: 2·Φ(−|z|). NaN stays NaN. */
export function twoSidedNormalPValue(z: number): number {
  return 2 * standardNormalCdf(-Math.abs(z));
}

/** Two-sided p-value of a t statistic: 2·F(−|t|; df). NaN stays NaN. */
export function twoSidedTPValue(t: number, degreesOfFreedom: number): number {
  return 2 * studentTCdf(-Math.abs(t), degreesOfFreedom);
}

/**
 * The smallest k with P(X ≤ k) ≥ probability for X ~ Binomial(trials, successProbability),
 * like R's qbinom. The probability mass is accumulated by the recurrence
 * P(k) = P(k − 1)·(n − k + 1)/k·q/(1 − q), in logarithms so that P(0) = (1 − q)ⁿ does not
 * underflow to 0 for long series.
 */
export function binomialQuantile(probability: number, trials: number, successProbability: number): number {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError("trials must be a whole number ≥ 0");
  if (!(successProbability > 0 && successProbability < 1)) {
    throw new RangeError("successProbability must be between 0 and 1 (exclusive)");
  }
  const logOdds = Math.log(successProbability / (1 - successProbability));
  let logMass = trials * Math.log1p(-successProbability);
  let cumulative = Math.exp(logMass);
  let k = 0;
  while (cumulative < probability && k < trials) {
    k += 1;
    logMass += Math.log((trials - k + 1) / k) + logOdds;
    cumulative += Math.exp(logMass);
  }
  return k;
}
