import { mean } from "./descriptive.ts";
import { normalCriticalValue, tCriticalValue, twoSidedTPValue } from "./distributions.ts";
import { invertMatrix, multiply, quadraticForm } from "./linear-algebra.ts";
import {
  assertConfidence,
  assertFiniteNumber,
  assertFiniteValues,
  assertSameLength,
  assertWholeNumber,
} from "./validation.ts";

/*
 * Ordinary least squares (one and several predictors) and Pearson's correlation, e.g. MITI
 * fidelity against change in readiness. Undefined fits (too few points, a constant or
 * collinear predictor) return null rather than throwing: with small clinics they happen in
 * ordinary use and the caller shows "not enough data".
 *
 * Each fit has a version that works from sufficient statistics, so that SQL can aggregate
 * hundreds of thousands of rows and send a handful of numbers: bivariate moments (PostgreSQL's
 * regr_* aggregates) for one predictor, the cross products XᵀX, Xᵀy, yᵀy for several. The
 * raw-data functions compute those statistics and delegate, so there is one implementation.
 */

export interface BandPoint {
  readonly x: number;
  readonly fit: number;
  readonly lower: number;
  readonly upper: number;
}

export interface LinearRegression {
  readonly n: number;
  readonly intercept: number;
  readonly slope: number;
  readonly slopeStandardError: number;
  readonly slopeLower: number;
  readonly slopeUpper: number;
  readonly slopePValue: number;
  readonly rSquared: number;
  readonly residualStandardError: number;
  /** The fitted mean response at each x with its confidence band (not a prediction band). */
  band(xs: readonly number[]): BandPoint[];
}

export interface Coefficient {
  readonly name: string;
  readonly estimate: number;
  readonly standardError: number;
  readonly lower: number;
  readonly upper: number;
  readonly pValue: number;
}

export interface MultipleRegression {
  readonly n: number;
  /** The intercept first, named "(intercept)", then one per predictor in the order of `names`. */
  readonly coefficients: Coefficient[];
  readonly rSquared: number;
  readonly residualStandardError: number;
}

/**
 * The sufficient statistics of simple regression and correlation: n pairs, the means and the
 * centred sums of squares and products Sxx = Σ(x − x̄)², Syy = Σ(y − ȳ)², Sxy = Σ(x − x̄)(y − ȳ).
 * PostgreSQL's regr_count, regr_avgx, regr_avgy, regr_sxx, regr_syy and regr_sxy return exactly
 * these (note their argument order: regr_sxx(y, x)).
 */
export interface BivariateMoments {
  readonly n: number;
  readonly meanX: number;
  readonly meanY: number;
  readonly sxx: number;
  readonly syy: number;
  readonly sxy: number;
}

/**
 * The uncentred cross products of multiple regression with an intercept: X is the n × (p + 1)
 * design whose first column is all ones and whose other columns are the p predictors in the
 * order of `names`, so xtx = XᵀX has xtx[0][0] = n, xtx[0][j] = Σxⱼ and xtx[i][j] = Σxᵢxⱼ;
 * xty = Xᵀy has xty[0] = Σy and xty[j] = Σxⱼy; yty = Σy². In SQL: count(*), sum(x1),
 * sum(x1 * x2), sum(x1 * y), sum(y * y) and so on.
 */
export interface CrossProducts {
  readonly n: number;
  /** The p predictor names (not the intercept). */
  readonly names: readonly string[];
  /** XᵀX, (p + 1) × (p + 1) and symmetric, the intercept first. */
  readonly xtx: readonly (readonly number[])[];
  /** Xᵀy, p + 1 entries, Σy first. */
  readonly xty: readonly number[];
  /** yᵀy = Σy². */
  readonly yty: number;
}

export interface Correlation {
  readonly r: number;
  readonly lower: number;
  readonly upper: number;
  readonly pValue: number;
  readonly n: number;
}

function sumOfProducts(x: readonly number[], xMean: number, y: readonly number[], yMean: number): number {
  let total = 0;
  x.forEach((value, i) => {
    total += (value - xMean) * ((y[i] ?? 0) - yMean);
  });
  return total;
}

// A centred sum of squares S = Σ(x − x̄)² that is at most this fraction of the raw Σx² =
// S + n·x̄² is round-off from a constant variable, not spread: for constant data neither
// two-pass sums nor PostgreSQL's regr_sxx and var_samp (Youngs-Cramer updates) need give
// exactly 0 (seven 0.1s leave 2·10⁻³² of Σx² here; a million 0.1s or 0.001s leave 10⁻²² of
// Σx² in PostgreSQL 15), and dividing by such an S turns round-off into a slope. The
// threshold, a coefficient of variation of 10⁻⁸, is far above that and far below real spread.
const ROUND_OFF_SPREAD = 1e-16;

/** Whether S = Σ(x − x̄)² of n values with mean x̄ is more than `tolerance` of Σx² (see above). */
function hasSpread(centredSquares: number, n: number, centre: number, tolerance = ROUND_OFF_SPREAD): boolean {
  return centredSquares > tolerance * (centredSquares + n * centre * centre);
}

/**
 * The bivariate moments of paired x and y, centred in two passes (means first, then sums of
 * products of deviations) like `variance`, which avoids the cancellation of Σxy − n·x̄·ȳ. No
 * pairs give NaN means and zero sums.
 */
export function bivariateMoments(x: readonly number[], y: readonly number[]): BivariateMoments {
  assertSameLength(x, y, "x", "y");
  assertFiniteValues(x, "x");
  assertFiniteValues(y, "y");
  const meanX = mean(x);
  const meanY = mean(y);
  return {
    n: x.length,
    meanX,
    meanY,
    sxx: sumOfProducts(x, meanX, x, meanX),
    syy: sumOfProducts(y, meanY, y, meanY),
    sxy: sumOfProducts(x, meanX, y, meanY),
  };
}

/**
 * Checks the moments of n ≥ 3 pairs (smaller n give null before the other fields are read:
 * PostgreSQL returns NULL, not 0, for regr_avgx and the sums over too few rows).
 */
function assertMoments(moments: BivariateMoments): void {
  assertFiniteNumber(moments.meanX, "moments.meanX");
  assertFiniteNumber(moments.meanY, "moments.meanY");
  assertFiniteNumber(moments.sxx, "moments.sxx", true);
  assertFiniteNumber(moments.syy, "moments.syy", true);
  assertFiniteNumber(moments.sxy, "moments.sxy");
}

/**
 * Simple linear regression y = a + b·x by OLS: b = Sxy/Sxx, a = ȳ − b·x̄, residual variance
 * s² = SSE/(n − 2), se(b) = s/√Sxx, and t(n − 2) intervals and p-values (e.g. Draper & Smith,
 * Applied Regression Analysis, ch. 1). band(xs) gives ŷ ± t·s·√(1/n + (x − x̄)²/Sxx), the
 * interval for the mean response. rSquared is NaN when y is constant (nothing to explain).
 * Null when n < 3 (no residual degrees of freedom; the other fields are then not read) or x
 * has zero variance (no slope).
 *
 * Everything follows from the moments (see BivariateMoments), SSE = Syy − b·Sxy included
 * (Draper & Smith §1.3). That subtraction loses digits when the fit is nearly exact (r² → 1),
 * which only matters for a residual standard error near 0; round-off that would make it
 * negative is clamped to 0. An Sxx or Syy of 10⁻¹⁶·Σx² or less is round-off from constant
 * data (see ROUND_OFF_SPREAD) and counts as 0.
 */
export function linearRegressionFromMoments(moments: BivariateMoments, confidence = 0.95): LinearRegression | null {
  assertConfidence(confidence);
  const { n, meanX, meanY, sxx, syy, sxy } = moments;
  assertWholeNumber(n, "moments.n");
  if (n < 3) return null;
  assertMoments(moments);
  if (!hasSpread(sxx, n, meanX)) return null;
  // A constant y: nothing to explain, and Sxy is 0 too (|Sxy| ≤ √(Sxx·Syy)).
  const yVaries = hasSpread(syy, n, meanY);
  const slope = yVaries ? sxy / sxx : 0;
  const intercept = meanY - slope * meanX;
  const residualSquares = yVaries ? Math.max(0, syy - slope * sxy) : 0;
  const residualStandardError = Math.sqrt(residualSquares / (n - 2));
  const slopeStandardError = residualStandardError / Math.sqrt(sxx);
  const critical = tCriticalValue(confidence, n - 2);
  return {
    n,
    intercept,
    slope,
    slopeStandardError,
    slopeLower: slope - critical * slopeStandardError,
    slopeUpper: slope + critical * slopeStandardError,
    slopePValue: twoSidedTPValue(slope / slopeStandardError, n - 2),
    rSquared: yVaries ? 1 - residualSquares / syy : Number.NaN,
    residualStandardError,
    band: (xs) =>
      xs.map((at) => {
        const fit = intercept + slope * at;
        const margin = critical * residualStandardError * Math.sqrt(1 / n + (at - meanX) ** 2 / sxx);
        return { x: at, fit, lower: fit - margin, upper: fit + margin };
      }),
  };
}

/**
 * Simple linear regression of y on x: linearRegressionFromMoments of the two-pass
 * bivariateMoments(x, y). Null when n < 3 or x is constant.
 */
export function linearRegression(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): LinearRegression | null {
  return linearRegressionFromMoments(bivariateMoments(x, y), confidence);
}

/**
 * Centred sufficient statistics for OLS with an intercept: n, the means, the predictors'
 * centred cross products S = Σ(x − x̄)(x − x̄)ᵀ, their products with y, Sxy = Σ(x − x̄)(y − ȳ),
 * and Syy = Σ(y − ȳ)².
 */
interface CentredCrossProducts {
  readonly n: number;
  readonly names: readonly string[];
  readonly means: readonly number[];
  readonly yMean: number;
  readonly sxx: readonly (readonly number[])[];
  readonly sxy: readonly number[];
  readonly syy: number;
}

/**
 * OLS with an intercept from centred cross products, n > p + 1. Centring takes the intercept
 * out of the system (â = ȳ − x̄ᵀb̂), and S is scaled to a correlation matrix before Gauss-Jordan
 * inversion: both keep the system well-conditioned, and make the singularity check
 * scale-free. Then b̂ = S⁻¹Sxy, SSE = Syy − b̂ᵀSxy, s² = SSE/(n − p − 1), Cov(b̂) = s²S⁻¹,
 * Var(â) = s²/n + x̄ᵀCov(b̂)x̄ (e.g. Draper & Smith, ch. 5), with t(n − p − 1) intervals and
 * p-values. Null when a predictor has no spread (see hasSpread, with `spreadTolerance`) or the
 * design is singular.
 */
function fitCentredCrossProducts(
  input: CentredCrossProducts,
  confidence: number,
  spreadTolerance: number,
): MultipleRegression | null {
  const { n, names, means, yMean, sxx } = input;
  const p = names.length;
  if (sxx.some((row, j) => !hasSpread(row[j] ?? 0, n, means[j] ?? 0, spreadTolerance))) return null;
  const scales = sxx.map((row, i) => Math.sqrt(row[i] ?? 0));
  // A constant y: nothing to explain, and every Sxy is 0 too (|Sxy| ≤ √(Sxx·Syy)).
  const yVaries = hasSpread(input.syy, n, yMean, spreadTolerance);
  const syy = yVaries ? input.syy : 0;
  const sxy = yVaries ? input.sxy : input.sxy.map(() => 0);
  const correlations = sxx.map((row, i) => row.map((value, j) => value / ((scales[i] ?? 1) * (scales[j] ?? 1))));
  const correlationInverse = invertMatrix(correlations);
  if (!correlationInverse) return null;
  const inverse = correlationInverse.map((row, i) =>
    row.map((value, j) => value / ((scales[i] ?? 1) * (scales[j] ?? 1))),
  );

  const slopes = multiply(inverse, sxy);
  const intercept = yMean - slopes.reduce((total, slope, j) => total + slope * (means[j] ?? 0), 0);
  // Round-off can take a (nearly) exact fit's SSE a hair below 0.
  const residualSquares = Math.max(0, syy - slopes.reduce((total, slope, j) => total + slope * (sxy[j] ?? 0), 0));
  const degreesOfFreedom = n - p - 1;
  const residualVariance = residualSquares / degreesOfFreedom;
  const critical = tCriticalValue(confidence, degreesOfFreedom);
  const coefficient = (name: string, estimate: number, variance: number): Coefficient => {
    const standardError = Math.sqrt(variance);
    return {
      name,
      estimate,
      standardError,
      lower: estimate - critical * standardError,
      upper: estimate + critical * standardError,
      pValue: twoSidedTPValue(estimate / standardError, degreesOfFreedom),
    };
  };
  const interceptVariance = residualVariance / n + residualVariance * quadraticForm(means, inverse);
  return {
    n,
    coefficients: [
      coefficient("(intercept)", intercept, interceptVariance),
      ...names.map((name, j) =>
        coefficient(name, slopes[j] ?? Number.NaN, residualVariance * (inverse[j]?.[j] ?? Number.NaN)),
      ),
    ],
    rSquared: yVaries ? 1 - residualSquares / syy : Number.NaN,
    residualStandardError: Math.sqrt(residualVariance),
  };
}

/**
 * Multiple linear regression with an intercept by OLS through the normal equations, from raw
 * data: the cross products are centred in two passes (means first, then sums of products of
 * deviations), which keeps them accurate however far the data sit from 0, and the fit is the
 * one of multipleRegressionFromCrossProducts (centred, scaled normal equations).
 *
 * `predictors` holds one row per observation, one column per name. Null when n ≤ p + 1 (no
 * residual degrees of freedom) or the design is singular (a constant or collinear predictor).
 */
export function multipleRegression(
  predictors: readonly (readonly number[])[],
  y: readonly number[],
  names: readonly string[],
  confidence = 0.95,
): MultipleRegression | null {
  assertConfidence(confidence);
  assertSameLength(predictors, y, "predictors", "y");
  assertFiniteValues(y, "y");
  predictors.forEach((row, i) => {
    if (row.length !== names.length) throw new RangeError(`predictors row ${i} must have one value per name`);
    assertFiniteValues(row, `predictors row ${i}`);
  });
  const n = y.length;
  const p = names.length;
  if (n <= p + 1) return null;

  const columns = names.map((_, j) => predictors.map((row) => row[j] ?? 0));
  const means = columns.map((column) => mean(column));
  const yMean = mean(y);
  return fitCentredCrossProducts(
    {
      n,
      names,
      means,
      yMean,
      sxx: columns.map((column, i) =>
        columns.map((other, j) => sumOfProducts(column, means[i] ?? 0, other, means[j] ?? 0)),
      ),
      sxy: columns.map((column, j) => sumOfProducts(column, means[j] ?? 0, y, yMean)),
      syy: sumOfProducts(y, yMean, y, yMean),
    },
    confidence,
    ROUND_OFF_SPREAD,
  );
}

// Centring uncentred sums (Sxx = Σx² − (Σx)²/n) cancels the leading digits: a constant column
// leaves round-off of the size of the float8 summation error rather than 0, up to about
// n·ε·Σx² ≈ 10⁻¹⁰·Σx² for n = 10⁶ rows (PostgreSQL 15 leaves 4·10⁻¹¹ for a million 0.001s).
// A centred sum of squares of at most this fraction of Σx² (a coefficient of variation of
// about 3·10⁻⁵) counts as no spread; it is also the tolerance for an asymmetric xtx.
const CENTRING_TOLERANCE = 1e-9;

/**
 * Multiple linear regression with an intercept from the uncentred cross products XᵀX, Xᵀy and
 * yᵀy (see CrossProducts), as SQL can sum them: they are centred here, with x̄ = Σx/n and
 * Sᵢⱼ = Σxᵢxⱼ − Σxᵢ·Σxⱼ/n (likewise Sxy and Syy), and fitted as multipleRegression fits raw
 * data. Same result shape; the coefficients come first as "(intercept)", then one per name.
 *
 * Precision: unlike the two-pass sums of multipleRegression, centring by subtraction loses
 * about log₁₀(1 + x̄²/s²) of float64's 16 digits per predictor (x̄ its mean, s its standard
 * deviation), on top of the summation error of the SQL sums themselves (at most about n·ε of
 * Σx² for float8, ≈ 10⁻¹⁰ at n = 10⁶; none for integer scores, which sum exactly). For scores
 * on 0–10 scales and n ≤ 10⁶ that costs a few digits at worst, far below sampling error; for
 * data far from 0 relative to their spread (e.g. epoch timestamps), centre them in SQL first.
 * A predictor whose centred sum of squares is at most 10⁻⁹ of Σx² is treated as constant
 * (null), and y likewise (r² NaN, slopes 0).
 *
 * Null when n ≤ p + 1 (the other numbers are then not read: SQL sums over no rows are NULL),
 * or the design is singular. Throws when the shapes do not match `names`, xtx is not
 * symmetric, xtx[0][0] ≠ n, or a number is not finite.
 */
export function multipleRegressionFromCrossProducts(
  input: CrossProducts,
  confidence = 0.95,
): MultipleRegression | null {
  assertConfidence(confidence);
  const { n, names, xtx, xty, yty } = input;
  const p = names.length;
  const size = p + 1;
  if (xtx.length !== size || xtx.some((row) => row.length !== size)) {
    throw new RangeError("xtx must be (p + 1) × (p + 1) for p names, the intercept first");
  }
  if (xty.length !== size) throw new RangeError("xty must have p + 1 entries for p names, Σy first");
  assertWholeNumber(n, "n");
  if (n <= p + 1) return null;
  xtx.forEach((row, i) => {
    assertFiniteValues(row, `xtx row ${i}`);
  });
  assertFiniteValues(xty, "xty");
  assertFiniteNumber(yty, "yty", true);
  if (xtx[0]?.[0] !== n) throw new RangeError("xtx[0][0] must equal n (the intercept column is all ones)");
  const at = (i: number, j: number) => xtx[i]?.[j] ?? 0;
  // Σxᵢxⱼ and Σxⱼxᵢ summed in different orders (e.g. by a parallel aggregate) may differ in
  // the last digits; anything more is a mistake in building the matrix. The mean is used.
  for (let i = 0; i < size; i += 1) {
    for (let j = 0; j < i; j += 1) {
      if (Math.abs(at(i, j) - at(j, i)) > CENTRING_TOLERANCE * Math.max(Math.abs(at(i, j)), Math.abs(at(j, i)))) {
        throw new RangeError("xtx must be symmetric");
      }
    }
  }

  // Predictor j is column j + 1 of X.
  const sums = names.map((_, j) => at(0, j + 1));
  const ySum = xty[0] ?? 0;
  const sxx = names.map((_, i) =>
    names.map((_, j) => (at(i + 1, j + 1) + at(j + 1, i + 1)) / 2 - ((sums[i] ?? 0) * (sums[j] ?? 0)) / n),
  );
  return fitCentredCrossProducts(
    {
      n,
      names,
      means: sums.map((sum) => sum / n),
      yMean: ySum / n,
      sxx,
      sxy: names.map((_, j) => (xty[j + 1] ?? 0) - ((sums[j] ?? 0) * ySum) / n),
      syy: yty - (ySum * ySum) / n,
    },
    confidence,
    CENTRING_TOLERANCE,
  );
}

/**
 * Pearson's r = Sxy/√(Sxx·Syy) from the bivariate moments, with the Fisher z interval,
 * tanh(atanh r ± z/√(n − 3)) (Fisher 1921), and the two-sided p-value of
 * t = r·√((n − 2)/(1 − r²)) on n − 2 degrees of freedom. With n = 3 the interval is the whole
 * of [−1, 1]. Null when n < 3 (the other fields are then not read) or either variable is
 * constant (Sxx or Syy is 0, or 10⁻¹⁶·Σx² or less, the round-off of constant data).
 */
export function pearsonCorrelationFromMoments(moments: BivariateMoments, confidence = 0.95): Correlation | null {
  assertConfidence(confidence);
  const { n, meanX, meanY, sxx, syy, sxy } = moments;
  assertWholeNumber(n, "moments.n");
  if (n < 3) return null;
  assertMoments(moments);
  if (!hasSpread(sxx, n, meanX) || !hasSpread(syy, n, meanY)) return null;
  // Round-off can push a perfect correlation a hair past ±1.
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  if (Math.abs(r) === 1) return { r, lower: r, upper: r, pValue: 0, n };
  const fisherZ = Math.atanh(r);
  const margin = normalCriticalValue(confidence) / Math.sqrt(n - 3);
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return {
    r,
    lower: Math.tanh(fisherZ - margin),
    upper: Math.tanh(fisherZ + margin),
    pValue: twoSidedTPValue(t, n - 2),
    n,
  };
}

/**
 * Pearson's correlation of paired x and y: pearsonCorrelationFromMoments of the two-pass
 * bivariateMoments(x, y). Null when n < 3 or either variable is constant.
 */
export function pearsonCorrelation(x: readonly number[], y: readonly number[], confidence = 0.95): Correlation | null {
  return pearsonCorrelationFromMoments(bivariateMoments(x, y), confidence);
}
