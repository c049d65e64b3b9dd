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

/*
 * The F distribution, hand-written like the binomial quantile: no @stdlib F or beta
 * distribution package is installed. The regularised incomplete beta function is Lentz's
 * continued fraction (Numerical Recipes §6.4), ln Γ the Lanczos approximation (g = 7, 9 terms):
 * both good to about 1e-13, far below any sampling error they serve.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] as number) / (shifted + i);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of I_x(a, b), converging fast for x < (a + 1)/(a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const clamp = (value: number) => (Math.abs(value) < tiny ? tiny : value);
  let c = 1;
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1));
  let fraction = d;
  for (let m = 1; m <= 10_000; m += 1) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / clamp(1 + even * d);
    c = clamp(1 + even / c);
    fraction *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / clamp(1 + odd * d);
    c = clamp(1 + odd / c);
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return fraction;
}

/** I_x(a, b), the regularised incomplete beta function (the Beta(a, b) CDF at x). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError("a and b must be positive");
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b)));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function assertDegreesOfFreedom(numerator: number, denominator: number): void {
  if (!(numerator > 0 && denominator > 0 && Number.isFinite(numerator) && Number.isFinite(denominator))) {
    throw new RangeError("degrees of freedom must be positive and finite");
  }
}

/** P(X ≤ x) for X ~ F(numerator, denominator); degrees of freedom need not be whole (Satterthwaite). */
export function fCdf(x: number, numerator: number, denominator: number): number {
  assertDegreesOfFreedom(numerator, denominator);
  if (x <= 0) return 0;
  return regularizedIncompleteBeta((numerator * x) / (numerator * x + denominator), numerator / 2, denominator / 2);
}

/**
 * The quantile of F(numerator, denominator): x with P(X ≤ x) = probability. With
 * y = d₁x/(d₁x + d₂), P(X ≤ x) = I_y(d₁/2, d₂/2) and P(X > x) = I_{1−y}(d₂/2, d₁/2); bisection
 * on whichever of y and 1 − y is below ½ (monotone, so it always converges) keeps full relative
 * precision in it, and so in x, also far out in the tail.
 */
export function fQuantile(probability: number, numerator: number, denominator: number): number {
  assertDegreesOfFreedom(numerator, denominator);
  if (!(probability >= 0 && probability <= 1)) throw new RangeError("probability must be between 0 and 1");
  if (probability === 0) return 0;
  if (probability === 1) return Number.POSITIVE_INFINITY;
  const a = numerator / 2;
  const b = denominator / 2;
  const upper = regularizedIncompleteBeta(0.5, a, b) < probability;
  const target = upper ? 1 - probability : probability;
  const cdf = (t: number) => (upper ? regularizedIncompleteBeta(t, b, a) : regularizedIncompleteBeta(t, a, b));
  let low = 0;
  let high = 0.5;
  while (true) {
    const middle = (low + high) / 2;
    if (middle <= low || middle >= high) break;
    if (cdf(middle) < target) low = middle;
    else high = middle;
    if (low > 0 && high - low <= 1e-15 * low) break;
  }
  const t = (low + high) / 2;
  return upper ? (denominator * (1 - t)) / (numerator * t) : (denominator * t) / (numerator * (1 - t));
}
