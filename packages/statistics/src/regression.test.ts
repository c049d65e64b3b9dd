import { describe, expect, it } from "vitest";
import { linearRegression, multipleRegression, pearsonCorrelation } from "./regression.ts";

// Anscombe (1973), "Graphs in statistical analysis", data set I.
const anscombeX = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const anscombeY = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];

describe("linearRegression", () => {
  it("reproduces Anscombe's set I: y = 3.0001 + 0.5001x, r² = 0.6665, se(slope) = 0.1179", () => {
    const fit = linearRegression(anscombeX, anscombeY);
    expect(fit?.n).toBe(11);
    expect(fit?.intercept).toBeCloseTo(3.0001, 4);
    expect(fit?.slope).toBeCloseTo(0.5001, 4);
    expect(fit?.rSquared).toBeCloseTo(0.6665, 4);
    expect(fit?.slopeStandardError).toBeCloseTo(0.1179, 4);
    // R's summary(lm(y1 ~ x1, anscombe)): residual standard error 1.237 on 9 df, slope
    // p = 0.00217; confint: 0.2334 to 0.7668 (0.5001 ± 2.262157 × 0.11791).
    expect(fit?.residualStandardError).toBeCloseTo(1.2366, 4);
    expect(fit?.slopePValue).toBeCloseTo(0.00217, 5);
    expect(fit?.slopeLower).toBeCloseTo(0.2334, 4);
    expect(fit?.slopeUpper).toBeCloseTo(0.7668, 4);
  });

  it("gives the mean-response band: half-width t(0.975, 9)·s/√n at x̄, wider away from it", () => {
    const fit = linearRegression(anscombeX, anscombeY);
    const [atMean, atZero] = fit?.band([9, 0]) ?? [];
    // x̄ = 9: fit 3.0001 + 0.5001·9 = 7.5009; half-width 2.262157 × 1.236603/√11 = 0.843445.
    expect(atMean?.x).toBe(9);
    expect(atMean?.fit).toBeCloseTo(7.500909, 6);
    expect((atMean?.upper ?? 0) - (atMean?.fit ?? 0)).toBeCloseTo((2.262157 * 1.236603) / Math.sqrt(11), 5);
    expect((atMean?.fit ?? 0) - (atMean?.lower ?? 0)).toBeCloseTo((2.262157 * 1.236603) / Math.sqrt(11), 5);
    // At x = 0 the band is the intercept's confidence interval: R's confint gives 0.4557 to 5.5444
    // (Sxx = 110: half-width 2.262157 × 1.236603 × √(1/11 + 81/110)).
    expect(atZero?.lower).toBeCloseTo(0.4557, 4);
    expect(atZero?.upper).toBeCloseTo(5.5444, 4);
  });

  it("fits an exact line exactly", () => {
    const fit = linearRegression([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(fit?.slope).toBeCloseTo(2, 12);
    expect(fit?.intercept).toBeCloseTo(1, 12);
    expect(fit?.rSquared).toBe(1);
    expect(fit?.residualStandardError).toBeCloseTo(0, 12);
  });

  it("is null for fewer than 3 points or a constant x; r² is NaN for a constant y", () => {
    expect(linearRegression([1, 2], [3, 4])).toBeNull();
    expect(linearRegression([], [])).toBeNull();
    expect(linearRegression([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(linearRegression([1, 2, 3], [5, 5, 5])?.rSquared).toBeNaN();
    expect(() => linearRegression([1, 2, 3], [1, 2])).toThrow("same length");
  });
});

describe("multipleRegression", () => {
  it("agrees with linearRegression for one predictor", () => {
    const simple = linearRegression(anscombeX, anscombeY);
    const multiple = multipleRegression(
      anscombeX.map((x) => [x]),
      anscombeY,
      ["x"],
    );
    const [intercept, slope] = multiple?.coefficients ?? [];
    expect(intercept?.name).toBe("(intercept)");
    expect(intercept?.estimate).toBeCloseTo(simple?.intercept ?? Number.NaN, 10);
    expect(slope?.name).toBe("x");
    expect(slope?.estimate).toBeCloseTo(simple?.slope ?? Number.NaN, 10);
    expect(slope?.standardError).toBeCloseTo(simple?.slopeStandardError ?? Number.NaN, 10);
    expect(slope?.lower).toBeCloseTo(simple?.slopeLower ?? Number.NaN, 10);
    expect(slope?.upper).toBeCloseTo(simple?.slopeUpper ?? Number.NaN, 10);
    expect(slope?.pValue).toBeCloseTo(simple?.slopePValue ?? Number.NaN, 10);
    expect(multiple?.rSquared).toBeCloseTo(simple?.rSquared ?? Number.NaN, 10);
    // Intercept: R's summary(lm(y1 ~ x1)) gives se 1.1247, p = 0.0257.
    expect(intercept?.standardError).toBeCloseTo(1.1247, 4);
    expect(intercept?.pValue).toBeCloseTo(0.0257, 4);
  });

  it("recovers y = 1 + 2·x1 − 3·x2 exactly from correlated, exact data", () => {
    const rows = [
      [1, 1],
      [2, 4],
      [3, 9],
      [4, 16],
      [5, 25],
      [6, 36],
      [7, 50],
    ];
    const y = rows.map(([x1 = 0, x2 = 0]) => 1 + 2 * x1 - 3 * x2);
    const fit = multipleRegression(rows, y, ["x1", "x2"]);
    expect(fit?.coefficients.map((coefficient) => coefficient.estimate)).toEqual([
      expect.closeTo(1, 9),
      expect.closeTo(2, 9),
      expect.closeTo(-3, 9),
    ]);
    expect(fit?.rSquared).toBeCloseTo(1, 12);
  });

  it("gives hand-computable standard errors for a 2² design with noise orthogonal to it", () => {
    // Design (x1, x2) = 2² factorial, twice: the columns 1, x1, x2 are orthogonal and X'X = 8·I.
    // The noise e = ±0.1 is orthogonal to all three (the x1·x2 pattern, sign-flipped in the
    // second replicate), so OLS returns exactly (1, 2, −3) and SSE = 8 × 0.01 = 0.08.
    // s² = 0.08/(8 − 3) = 0.016; every se = √(0.016/8) = √0.002 = 0.0447214;
    // t(0.975, 5) = 2.570582, so the 95% half-width is 0.114960.
    // SST = 8·(2² + 3²) + 0.08 = 104.08 (cross terms vanish), so r² = 1 − 0.08/104.08.
    const x1 = [-1, 1, -1, 1, -1, 1, -1, 1];
    const x2 = [-1, -1, 1, 1, -1, -1, 1, 1];
    const noise = [0.1, -0.1, -0.1, 0.1, -0.1, 0.1, 0.1, -0.1];
    const y = x1.map((value, i) => 1 + 2 * value - 3 * (x2[i] ?? 0) + (noise[i] ?? 0));
    const fit = multipleRegression(
      x1.map((value, i) => [value, x2[i] ?? 0]),
      y,
      ["x1", "x2"],
    );
    expect(fit?.n).toBe(8);
    const expectedEstimates = [1, 2, -3];
    fit?.coefficients.forEach((coefficient, j) => {
      expect(coefficient.estimate).toBeCloseTo(expectedEstimates[j] ?? Number.NaN, 12);
      expect(coefficient.standardError).toBeCloseTo(Math.sqrt(0.002), 12);
      expect(coefficient.upper - coefficient.estimate).toBeCloseTo(0.11496, 5);
    });
    expect(fit?.coefficients.map((coefficient) => coefficient.name)).toEqual(["(intercept)", "x1", "x2"]);
    expect(fit?.rSquared).toBeCloseTo(1 - 0.08 / 104.08, 12);
    expect(fit?.residualStandardError).toBeCloseTo(Math.sqrt(0.016), 12);
  });

  it("matches NumPy/SciPy on correlated, noisy predictors", () => {
    // Reference: numpy.linalg.lstsq on [1, x1, x2], se = √diag(s²(X'X)⁻¹), p and limits from
    // scipy.stats.t with 7 df.
    const x1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const x2 = [2, 1, 4, 3, 6, 5, 8, 7, 10, 12];
    const y = [3.1, 2.0, 4.8, 4.1, 7.2, 5.9, 8.8, 8.1, 11.5, 12.9];
    const fit = multipleRegression(
      x1.map((value, i) => [value, x2[i] ?? 0]),
      y,
      ["x1", "x2"],
    );
    const expected = [
      { estimate: 0.9704103672, standardError: 0.162446319, pValue: 5.5667476774e-4, lower: 0.5862858617 },
      { estimate: 0.0242116631, standardError: 0.0819983129, pValue: 0.77635320276, lower: -0.1696835361 },
      { estimate: 0.9890388769, standardError: 0.0705017332, pValue: 2.2153374182e-6, lower: 0.8223287688 },
    ];
    fit?.coefficients.forEach((coefficient, j) => {
      expect(coefficient.estimate).toBeCloseTo(expected[j]?.estimate ?? Number.NaN, 8);
      expect(coefficient.standardError).toBeCloseTo(expected[j]?.standardError ?? Number.NaN, 8);
      expect(coefficient.pValue).toBeCloseTo(expected[j]?.pValue ?? Number.NaN, 8);
      expect(coefficient.lower).toBeCloseTo(expected[j]?.lower ?? Number.NaN, 8);
    });
    expect(fit?.rSquared).toBeCloseTo(0.9965732140186288, 10);
  });

  it("is null for a singular design or too few observations, and rejects ragged rows", () => {
    const rows = [
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8],
      [5, 10],
    ];
    expect(multipleRegression(rows, [1, 3, 2, 5, 4], ["x1", "x2"])).toBeNull();
    const constant = rows.map(([x1 = 0]) => [x1, 7]);
    expect(multipleRegression(constant, [1, 3, 2, 5, 4], ["x1", "x2"])).toBeNull();
    // n = p + 1 = 3 leaves no residual degrees of freedom.
    expect(multipleRegression(rows.slice(0, 3), [1, 3, 2], ["x1", "x2"])).toBeNull();
    expect(() => multipleRegression([[1], [2, 3]], [1, 2], ["x1"])).toThrow("row 1");
  });
});

describe("pearsonCorrelation", () => {
  it("reproduces Anscombe's set I: r = 0.8164, like R's cor.test", () => {
    // cor.test(x1, y1): t = 4.2415 on 9 df, p = 0.00217, 95% CI 0.4244 to 0.9507.
    const result = pearsonCorrelation(anscombeX, anscombeY);
    expect(result?.r).toBeCloseTo(0.8164, 4);
    expect(result?.n).toBe(11);
    expect(result?.pValue).toBeCloseTo(0.00217, 5);
    expect(result?.lower).toBeCloseTo(0.4244, 4);
    expect(result?.upper).toBeCloseTo(0.9507, 4);
    // The slope and correlation tests are the same t-test.
    expect(result?.pValue).toBeCloseTo(linearRegression(anscombeX, anscombeY)?.slopePValue ?? Number.NaN, 12);
  });

  it("handles perfect and small-sample correlations and is null when undefined", () => {
    expect(pearsonCorrelation([1, 2, 3, 4], [8, 6, 4, 2])).toEqual({ r: -1, lower: -1, upper: -1, pValue: 0, n: 4 });
    const three = pearsonCorrelation([1, 2, 3], [1, 3, 2]);
    expect(three?.r).toBeCloseTo(0.5, 12);
    expect([three?.lower, three?.upper]).toEqual([-1, 1]);
    expect(pearsonCorrelation([1, 2], [2, 1])).toBeNull();
    expect(pearsonCorrelation([1, 2, 3], [4, 4, 4])).toBeNull();
  });
});
