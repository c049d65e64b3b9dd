import { describe, expect, it } from "vitest";
import {
  bivariateMoments,
  type CrossProducts,
  type LinearRegression,
  linearRegression,
  linearRegressionFromMoments,
  type MultipleRegression,
  multipleRegression,
  multipleRegressionFromCrossProducts,
  pearsonCorrelation,
  pearsonCorrelationFromMoments,
} from "./regression.ts";

// Anscombe (1973), "Graphs in statistical analysis", data set I.
const anscombeX = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const anscombeY = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68];
// What PostgreSQL 15 returns for the same pairs: regr_count(y, x), regr_avgx, regr_avgy,
// regr_sxx, regr_syy, regr_sxy (exactly: 82.51/11, 41.2726909… = 10 × var(y1), 55.01).
const anscombeMoments = {
  n: 11,
  meanX: 9,
  meanY: 7.500909090909093,
  sxx: 110,
  syy: 41.272690909090926,
  sxy: 55.01000000000001,
};

// The correlated, noisy 2-predictor example that NumPy/SciPy checked below.
const noisyX1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const noisyX2 = [2, 1, 4, 3, 6, 5, 8, 7, 10, 12];
const noisyY = [3.1, 2.0, 4.8, 4.1, 7.2, 5.9, 8.8, 8.1, 11.5, 12.9];

/** Every number of a linear fit, the band at a few points included, for comparing two fits. */
function linearNumbers(fit: LinearRegression | null): number[] {
  if (!fit) return [];
  const { band, ...numbers } = fit;
  return [...Object.values(numbers), ...band([0, 4, 9, 20]).flatMap((point) => Object.values(point))];
}

/** Every number of a multiple regression, for comparing two fits. */
function multipleNumbers(fit: MultipleRegression | null): number[] {
  if (!fit) return [];
  const coefficients = fit.coefficients.flatMap(({ estimate, standardError, lower, upper, pValue }) => [
    estimate,
    standardError,
    lower,
    upper,
    pValue,
  ]);
  return [fit.n, ...coefficients, fit.rSquared, fit.residualStandardError];
}

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

describe("bivariateMoments", () => {
  it("gives the two-pass centred sums, as PostgreSQL's regr_* aggregates", () => {
    const moments = bivariateMoments(anscombeX, anscombeY);
    expect(moments.n).toBe(11);
    expect(moments.meanX).toBe(9);
    expect(moments.meanY).toBeCloseTo(82.51 / 11, 12);
    expect(moments.sxx).toBe(110);
    expect(moments.syy).toBeCloseTo(41.27269090909, 10);
    expect(moments.sxy).toBeCloseTo(55.01, 11);
  });

  it("stays exact far from 0, where Σxy − n·x̄·ȳ would cancel", () => {
    // x = 10⁹ + (1, 2, 3), y = 10⁹ + (2, 4, 6): Sxx = 2, Syy = 8, Sxy = 4 exactly.
    const moments = bivariateMoments([1e9 + 1, 1e9 + 2, 1e9 + 3], [1e9 + 2, 1e9 + 4, 1e9 + 6]);
    expect([moments.sxx, moments.syy, moments.sxy]).toEqual([2, 8, 4]);
  });

  it("gives NaN means and zero sums for no pairs, and rejects unpaired or non-finite values", () => {
    expect(bivariateMoments([], [])).toEqual({ n: 0, meanX: Number.NaN, meanY: Number.NaN, sxx: 0, syy: 0, sxy: 0 });
    expect(() => bivariateMoments([1, 2], [1])).toThrow("same length");
    expect(() => bivariateMoments([1, 2], [1, Number.POSITIVE_INFINITY])).toThrow("index 1");
  });
});

describe("linearRegressionFromMoments", () => {
  it("reproduces R's lm on Anscombe's set I from PostgreSQL's moments", () => {
    const fit = linearRegressionFromMoments(anscombeMoments);
    expect(fit?.n).toBe(11);
    expect(fit?.intercept).toBeCloseTo(3.0001, 4);
    expect(fit?.slope).toBeCloseTo(0.5001, 4);
    expect(fit?.rSquared).toBeCloseTo(0.6665, 4);
    expect(fit?.slopeStandardError).toBeCloseTo(0.1179, 4);
    expect(fit?.residualStandardError).toBeCloseTo(1.2366, 4);
    expect(fit?.slopePValue).toBeCloseTo(0.00217, 5);
    expect(fit?.slopeLower).toBeCloseTo(0.2334, 4);
    expect(fit?.slopeUpper).toBeCloseTo(0.7668, 4);
    const [atZero] = fit?.band([0]) ?? [];
    expect(atZero?.lower).toBeCloseTo(0.4557, 4);
    expect(atZero?.upper).toBeCloseTo(5.5444, 4);
  });

  it("is what linearRegression computes from raw pairs, band included", () => {
    const fromRaw = linearRegression(anscombeX, anscombeY, 0.9);
    expect(linearNumbers(linearRegressionFromMoments(bivariateMoments(anscombeX, anscombeY), 0.9))).toEqual(
      linearNumbers(fromRaw),
    );
    // PostgreSQL's rounding of the same moments changes nothing that matters.
    expect(linearNumbers(linearRegressionFromMoments(anscombeMoments, 0.9))).toEqual(
      linearNumbers(fromRaw).map((value) => expect.closeTo(value, 12)),
    );
    const exact = bivariateMoments([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(exact).toEqual({ n: 4, meanX: 2.5, meanY: 6, sxx: 5, syy: 20, sxy: 10 });
    expect(linearRegressionFromMoments(exact)).toMatchObject({ slope: 2, intercept: 1, rSquared: 1 });
  });

  it("is null when n < 3 or x is constant, without reading SQL's NULLs for too few rows", () => {
    expect(linearRegressionFromMoments({ n: 2, meanX: 1.5, meanY: 3.5, sxx: 0.5, syy: 0.5, sxy: 0.5 })).toBeNull();
    expect(
      linearRegressionFromMoments({ n: 0, meanX: Number.NaN, meanY: Number.NaN, sxx: Number.NaN, syy: 0, sxy: 0 }),
    ).toBeNull();
    expect(linearRegressionFromMoments(bivariateMoments([2, 2, 2], [1, 2, 3]))).toBeNull();
    expect(linearRegressionFromMoments(bivariateMoments([1, 2, 3], [5, 5, 5]))?.rSquared).toBeNaN();
  });

  it("treats the round-off of a constant x as no spread, where PostgreSQL's regr_slope does not", () => {
    // 1000 rows of x = 0.1 and y = i mod 7: PostgreSQL 15 gives regr_sxx = 4.7e-28, not 0, and
    // a regr_slope of 1.1e13 (and corr 0.0039) from it.
    const constantX = {
      n: 1000,
      meanX: 0.09999999999999859,
      meanY: 3.003,
      sxx: 4.737216842286118e-28,
      syy: 3994.9909999999995,
      sxy: 5.431736671160949e-15,
    };
    expect(linearRegressionFromMoments(constantX)).toBeNull();
    expect(pearsonCorrelationFromMoments(constantX)).toBeNull();
    // The same x as y: nothing to explain, so r² is NaN and the slope 0, as for an exactly constant y.
    const constantY = {
      ...constantX,
      meanX: constantX.meanY,
      meanY: constantX.meanX,
      sxx: constantX.syy,
      syy: constantX.sxx,
    };
    const fit = linearRegressionFromMoments(constantY);
    expect(fit?.slope).toBe(0);
    expect(fit?.rSquared).toBeNaN();
    expect(fit?.intercept).toBe(constantY.meanY);
    // In raw data, seven 0.1s are not exactly constant after centring either (Sxx = 1.3e-33).
    expect(bivariateMoments(Array(7).fill(0.1), [1, 2, 3, 4, 5, 6, 8]).sxx).toBeGreaterThan(0);
    expect(linearRegression(Array(7).fill(0.1), [1, 2, 3, 4, 5, 6, 8])).toBeNull();
  });

  it("rejects invalid moments and confidence, naming the field", () => {
    expect(() => linearRegressionFromMoments({ ...anscombeMoments, n: 10.5 })).toThrow("moments.n");
    expect(() => linearRegressionFromMoments({ ...anscombeMoments, n: -1 })).toThrow("moments.n");
    expect(() => linearRegressionFromMoments({ ...anscombeMoments, sxx: -1 })).toThrow("moments.sxx");
    expect(() => linearRegressionFromMoments({ ...anscombeMoments, syy: Number.NaN })).toThrow("moments.syy");
    expect(() => linearRegressionFromMoments({ ...anscombeMoments, meanY: Number.NaN })).toThrow("moments.meanY");
    expect(() => linearRegressionFromMoments(anscombeMoments, 1)).toThrow("confidence");
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

describe("multipleRegressionFromCrossProducts", () => {
  // X = [1, x1, x2] for the NumPy/SciPy example above; SQL: count(*), sum(x1), sum(x1 * x2), …
  // The sums of the 1-decimal y are written as exact decimals, as a numeric sum would give them.
  const noisy: CrossProducts = {
    n: 10,
    names: ["x1", "x2"],
    xtx: [
      [10, 55, 58],
      [55, 385, 410],
      [58, 410, 448],
    ],
    xty: [68.4, 468.2, 509.3],
    yty: 581.82,
  };

  it("matches NumPy/SciPy and multipleRegression on the correlated, noisy predictors", () => {
    const fit = multipleRegressionFromCrossProducts(noisy);
    const expected = [
      { estimate: 0.9704103672, standardError: 0.162446319, pValue: 5.5667476774e-4, lower: 0.5862858617 },
      { estimate: 0.0242116631, standardError: 0.0819983129, pValue: 0.77635320276, lower: -0.1696835361 },
      { estimate: 0.9890388769, standardError: 0.0705017332, pValue: 2.2153374182e-6, lower: 0.8223287688 },
    ];
    expect(fit?.coefficients.map((coefficient) => coefficient.name)).toEqual(["(intercept)", "x1", "x2"]);
    fit?.coefficients.forEach((coefficient, j) => {
      expect(coefficient.estimate).toBeCloseTo(expected[j]?.estimate ?? Number.NaN, 8);
      expect(coefficient.standardError).toBeCloseTo(expected[j]?.standardError ?? Number.NaN, 8);
      expect(coefficient.pValue).toBeCloseTo(expected[j]?.pValue ?? Number.NaN, 8);
      expect(coefficient.lower).toBeCloseTo(expected[j]?.lower ?? Number.NaN, 8);
    });
    expect(fit?.rSquared).toBeCloseTo(0.9965732140186288, 10);
    const fromRaw = multipleRegression(
      noisyX1.map((value, i) => [value, noisyX2[i] ?? 0]),
      noisyY,
      ["x1", "x2"],
      0.9,
    );
    expect(multipleNumbers(multipleRegressionFromCrossProducts(noisy, 0.9))).toEqual(
      multipleNumbers(fromRaw).map((value) => expect.closeTo(value, 11)),
    );
  });

  it("gives the hand-computed 2² design from its cross products", () => {
    // The orthogonal design of the multipleRegression test: X'X = 8·I; X'y = (Σy, Σx1·y, Σx2·y)
    // = (8·1, 8·2, 8·(−3)) as the noise is orthogonal to the columns; y'y = 8·(1 + 4 + 9) + 0.08.
    const fit = multipleRegressionFromCrossProducts({
      n: 8,
      names: ["x1", "x2"],
      xtx: [
        [8, 0, 0],
        [0, 8, 0],
        [0, 0, 8],
      ],
      xty: [8, 16, -24],
      yty: 112.08,
    });
    expect(fit?.coefficients.map((coefficient) => coefficient.estimate)).toEqual([1, 2, -3]);
    fit?.coefficients.forEach((coefficient) => {
      expect(coefficient.standardError).toBeCloseTo(Math.sqrt(0.002), 12);
      expect(coefficient.upper - coefficient.estimate).toBeCloseTo(0.11496, 5);
    });
    expect(fit?.rSquared).toBeCloseTo(1 - 0.08 / 104.08, 12);
    expect(fit?.residualStandardError).toBeCloseTo(Math.sqrt(0.016), 12);
  });

  it("agrees with linearRegression for one predictor", () => {
    // Anscombe I: Σx = 99, Σx² = 1001, Σy = 82.51, Σxy = 797.6, Σy² = 660.1727.
    const fit = multipleRegressionFromCrossProducts({
      n: 11,
      names: ["x"],
      xtx: [
        [11, 99],
        [99, 1001],
      ],
      xty: [82.51, 797.6],
      yty: 660.1727,
    });
    const simple = linearRegression(anscombeX, anscombeY);
    const [intercept, slope] = fit?.coefficients ?? [];
    expect(intercept?.estimate).toBeCloseTo(simple?.intercept ?? Number.NaN, 10);
    expect(slope?.estimate).toBeCloseTo(simple?.slope ?? Number.NaN, 10);
    expect(slope?.standardError).toBeCloseTo(simple?.slopeStandardError ?? Number.NaN, 10);
    expect(fit?.rSquared).toBeCloseTo(simple?.rSquared ?? Number.NaN, 10);
    expect(fit?.residualStandardError).toBeCloseTo(simple?.residualStandardError ?? Number.NaN, 10);
  });

  it("is null for too few rows, a collinear design, or a constant predictor up to round-off", () => {
    expect(
      multipleRegressionFromCrossProducts({
        ...noisy,
        n: 3,
        xtx: [
          [3, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
      }),
    ).toBeNull();
    // n ≤ p + 1: SQL's NULL sums (here NaN) are not looked at.
    expect(
      multipleRegressionFromCrossProducts({
        n: 0,
        names: ["x"],
        xtx: [
          [0, Number.NaN],
          [Number.NaN, Number.NaN],
        ],
        xty: [Number.NaN, Number.NaN],
        yty: Number.NaN,
      }),
    ).toBeNull();
    // x2 = 2·x1 for x1 = 1…5: singular.
    expect(
      multipleRegressionFromCrossProducts({
        n: 5,
        names: ["x1", "x2"],
        xtx: [
          [5, 15, 30],
          [15, 55, 110],
          [30, 110, 220],
        ],
        xty: [15, 50, 100],
        yty: 55,
      }),
    ).toBeNull();
    // x2 = 0.1 in all 10 rows: Σx2² − (Σx2)²/n is round-off (about 10⁻¹⁶ of Σx2²), not 0.
    const sumOfTenths = Array(10)
      .fill(0.1)
      .reduce((sum, value) => sum + value, 0);
    const sumOfSquaredTenths = Array(10)
      .fill(0.01)
      .reduce((sum, value) => sum + value, 0);
    expect(sumOfSquaredTenths - (sumOfTenths * sumOfTenths) / 10).not.toBe(0);
    expect(
      multipleRegressionFromCrossProducts({
        n: 10,
        names: ["x1", "x2"],
        xtx: [
          [10, 55, sumOfTenths],
          [55, 385, 5.5],
          [sumOfTenths, 5.5, sumOfSquaredTenths],
        ],
        xty: [68.4, 468.2, 6.84],
        yty: 581.82,
      }),
    ).toBeNull();
  });

  it("rejects mismatched shapes, an asymmetric XᵀX, a wrong intercept column or non-finite sums", () => {
    expect(() => multipleRegressionFromCrossProducts({ ...noisy, names: ["x1"] })).toThrow("xtx");
    expect(() => multipleRegressionFromCrossProducts({ ...noisy, xty: [68.4, 468.2] })).toThrow("xty");
    expect(() =>
      multipleRegressionFromCrossProducts({
        ...noisy,
        xtx: [
          [10, 55, 58],
          [55, 385, 410],
          [58, 0, 448],
        ],
      }),
    ).toThrow("symmetric");
    expect(() => multipleRegressionFromCrossProducts({ ...noisy, n: 11 })).toThrow("xtx[0][0]");
    expect(() => multipleRegressionFromCrossProducts({ ...noisy, n: 10.5 })).toThrow("n must");
    expect(() => multipleRegressionFromCrossProducts({ ...noisy, yty: Number.NaN })).toThrow("yty");
    expect(() => multipleRegressionFromCrossProducts({ ...noisy, xty: [68.4, Number.NaN, 509.3] })).toThrow("xty");
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

describe("pearsonCorrelationFromMoments", () => {
  it("reproduces R's cor.test on Anscombe's set I from PostgreSQL's moments", () => {
    const result = pearsonCorrelationFromMoments(anscombeMoments);
    // PostgreSQL's corr(y1, x1) = 0.8164205163448399.
    expect(result?.r).toBeCloseTo(0.8164205163448399, 14);
    expect(result?.pValue).toBeCloseTo(0.00217, 5);
    expect(result?.lower).toBeCloseTo(0.4244, 4);
    expect(result?.upper).toBeCloseTo(0.9507, 4);
  });

  it("is what pearsonCorrelation computes from raw pairs", () => {
    expect(pearsonCorrelationFromMoments(bivariateMoments(anscombeX, anscombeY), 0.8)).toEqual(
      pearsonCorrelation(anscombeX, anscombeY, 0.8),
    );
    expect(pearsonCorrelationFromMoments(bivariateMoments(noisyX1, noisyY))).toEqual(
      pearsonCorrelation(noisyX1, noisyY),
    );
    expect(pearsonCorrelationFromMoments({ n: 4, meanX: 2.5, meanY: 5, sxx: 5, syy: 20, sxy: -10 })).toEqual({
      r: -1,
      lower: -1,
      upper: -1,
      pValue: 0,
      n: 4,
    });
  });

  it("is null for n < 3 or a constant variable, and rejects invalid moments", () => {
    expect(pearsonCorrelationFromMoments({ n: 2, meanX: 1.5, meanY: 1.5, sxx: 0.5, syy: 0.5, sxy: -0.5 })).toBeNull();
    expect(pearsonCorrelationFromMoments({ ...anscombeMoments, sxx: 0 })).toBeNull();
    expect(pearsonCorrelationFromMoments({ ...anscombeMoments, syy: 0 })).toBeNull();
    expect(() => pearsonCorrelationFromMoments({ ...anscombeMoments, sxy: Number.NaN })).toThrow("moments.sxy");
    expect(() => pearsonCorrelationFromMoments({ ...anscombeMoments, n: Number.NaN })).toThrow("moments.n");
  });
});
