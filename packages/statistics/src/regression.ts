import { mean } from "./descriptive.ts";
import { normalCriticalValue, tCriticalValue, twoSidedTPValue } from "./distributions.ts";
import { invertMatrix, multiply, quadraticForm } from "./linear-algebra.ts";
import { assertConfidence, assertFiniteValues, assertSameLength } from "./validation.ts";

/*
 * Ordinary least squares (one and several predictors) and Pearson's correlation, e.g. MITI
 * fidelity against change in readiness. Undefined fits (too few points, a constant or
 * collinear predictor) return null rather than throwing: with small clinics they happen in
 * ordinary use and the caller shows "not enough data".
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

/**
 * Simple linear regression y = a + b·x by OLS: b = Sxy/Sxx, a = ȳ − b·x̄, residual variance
 * s² = SSE/(n − 2), se(b) = s/√Sxx, and t(n − 2) intervals and p-values (e.g. Draper & Smith,
 * Applied Regression Analysis, ch. 1). band(xs) gives ŷ ± t·s·√(1/n + (x − x̄)²/Sxx), the
 * interval for the mean response. rSquared is NaN when y is constant (nothing to explain).
 * Null when n < 3 (no residual degrees of freedom) or x has zero variance (no slope).
 */
export function linearRegression(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): LinearRegression | null {
  assertConfidence(confidence);
  assertSameLength(x, y, "x", "y");
  assertFiniteValues(x, "x");
  assertFiniteValues(y, "y");
  const n = x.length;
  if (n < 3) return null;
  const xMean = mean(x);
  const yMean = mean(y);
  const sxx = sumOfProducts(x, xMean, x, xMean);
  if (sxx === 0) return null;
  const slope = sumOfProducts(x, xMean, y, yMean) / sxx;
  const intercept = yMean - slope * xMean;
  let residualSquares = 0;
  x.forEach((value, i) => {
    residualSquares += ((y[i] ?? 0) - intercept - slope * value) ** 2;
  });
  const totalSquares = sumOfProducts(y, yMean, y, yMean);
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
    rSquared: totalSquares === 0 ? Number.NaN : 1 - residualSquares / totalSquares,
    residualStandardError,
    band: (xs) =>
      xs.map((at) => {
        const fit = intercept + slope * at;
        const margin = critical * residualStandardError * Math.sqrt(1 / n + (at - xMean) ** 2 / sxx);
        return { x: at, fit, lower: fit - margin, upper: fit + margin };
      }),
  };
}

/**
 * Multiple linear regression with an intercept by OLS through the normal equations. The
 * predictors are centred, which takes the intercept out of the system (â = ȳ − x̄ᵀb̂), and their
 * cross-product matrix S is scaled to a correlation matrix before Gauss-Jordan inversion: both
 * keep the system well-conditioned, and make the singularity check scale-free. Then
 * b̂ = S⁻¹Sxy, s² = SSE/(n − p − 1), Cov(b̂) = s²S⁻¹, Var(â) = s²/n + x̄ᵀCov(b̂)x̄
 * (e.g. Draper & Smith, ch. 5), with t(n − p − 1) intervals and p-values.
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
  const columnMeans = columns.map((column) => mean(column));
  const yMean = mean(y);
  const crossProducts = columns.map((column, i) =>
    columns.map((other, j) => sumOfProducts(column, columnMeans[i] ?? 0, other, columnMeans[j] ?? 0)),
  );
  const scales = crossProducts.map((row, i) => Math.sqrt(row[i] ?? 0));
  if (scales.some((scale) => scale === 0)) return null;
  const correlations = crossProducts.map((row, i) =>
    row.map((value, j) => value / ((scales[i] ?? 1) * (scales[j] ?? 1))),
  );
  const correlationInverse = invertMatrix(correlations);
  if (!correlationInverse) return null;
  const inverse = correlationInverse.map((row, i) =>
    row.map((value, j) => value / ((scales[i] ?? 1) * (scales[j] ?? 1))),
  );

  const crossWithY = columns.map((column, j) => sumOfProducts(column, columnMeans[j] ?? 0, y, yMean));
  const slopes = multiply(inverse, crossWithY);
  const intercept = yMean - slopes.reduce((total, slope, j) => total + slope * (columnMeans[j] ?? 0), 0);
  let residualSquares = 0;
  y.forEach((value, i) => {
    const row = predictors[i] ?? [];
    const fit = intercept + slopes.reduce((total, slope, j) => total + slope * (row[j] ?? 0), 0);
    residualSquares += (value - fit) ** 2;
  });
  const degreesOfFreedom = n - p - 1;
  const residualVariance = residualSquares / degreesOfFreedom;
  const totalSquares = sumOfProducts(y, yMean, y, yMean);
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
  const interceptVariance = residualVariance / n + residualVariance * quadraticForm(columnMeans, inverse);
  return {
    n,
    coefficients: [
      coefficient("(intercept)", intercept, interceptVariance),
      ...names.map((name, j) =>
        coefficient(name, slopes[j] ?? Number.NaN, residualVariance * (inverse[j]?.[j] ?? Number.NaN)),
      ),
    ],
    rSquared: totalSquares === 0 ? Number.NaN : 1 - residualSquares / totalSquares,
    residualStandardError: Math.sqrt(residualVariance),
  };
}

/**
 * Pearson's r with the Fisher z interval, tanh(atanh r ± z/√(n − 3)) (Fisher 1921), and the
 * two-sided p-value of t = r·√((n − 2)/(1 − r²)) on n − 2 degrees of freedom. With n = 3 the
 * interval is the whole of [−1, 1]. Null when n < 3 or either variable is constant.
 */
export function pearsonCorrelation(x: readonly number[], y: readonly number[], confidence = 0.95): Correlation | null {
  assertConfidence(confidence);
  assertSameLength(x, y, "x", "y");
  assertFiniteValues(x, "x");
  assertFiniteValues(y, "y");
  const n = x.length;
  if (n < 3) return null;
  const xMean = mean(x);
  const yMean = mean(y);
  const sxx = sumOfProducts(x, xMean, x, xMean);
  const syy = sumOfProducts(y, yMean, y, yMean);
  if (sxx === 0 || syy === 0) return null;
  // Round-off can push a perfect correlation a hair past ±1.
  const r = Math.max(-1, Math.min(1, sumOfProducts(x, xMean, y, yMean) / Math.sqrt(sxx * syy)));
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
