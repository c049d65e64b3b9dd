import ttest2 from "@stdlib/stats-ttest2";
import { describe, expect, it } from "vitest";
import { mean, variance } from "./descriptive.ts";
import {
  mannWhitneyU,
  mannWhitneyUFromFrequencies,
  proportionDifference,
  welchTTest,
  welchTTestFromSummaries,
} from "./tests.ts";

// R's `sleep` data (Cushny & Peebles 1905, Student 1908): extra hours of sleep under two drugs.
const sleepGroup1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const sleepGroup2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe("welchTTest", () => {
  it("reproduces R's t.test(extra ~ group, data = sleep)", () => {
    // t = −1.8608, df = 17.776, p = 0.07939, 95% CI −3.3654832 to 0.2054832.
    const result = welchTTest(sleepGroup1, sleepGroup2);
    expect(result?.t).toBeCloseTo(-1.8608, 4);
    expect(result?.degreesOfFreedom).toBeCloseTo(17.776, 3);
    expect(result?.pValue).toBeCloseTo(0.07939, 5);
    expect(result?.meanDifference).toBeCloseTo(0.75 - 2.33, 12);
    expect(result?.lower).toBeCloseTo(-3.3654832, 6);
    expect(result?.upper).toBeCloseTo(0.2054832, 6);
  });

  it("agrees with @stdlib/stats-ttest2 (unequal variances) at 90% confidence", () => {
    const ours = welchTTest(sleepGroup2, sleepGroup1, 0.9);
    const reference = ttest2(sleepGroup2, sleepGroup1, { alpha: 0.1, variance: "unequal" });
    expect(ours?.t).toBeCloseTo(reference.statistic, 10);
    expect(ours?.degreesOfFreedom).toBeCloseTo(reference.df, 10);
    expect(ours?.pValue).toBeCloseTo(reference.pValue, 10);
    expect(ours?.lower).toBeCloseTo(reference.ci[0] ?? Number.NaN, 10);
    expect(ours?.upper).toBeCloseTo(reference.ci[1] ?? Number.NaN, 10);
  });

  it("computes Hedges' g from the pooled SD with the small-sample correction", () => {
    // Variances 3.200556 and 4.009000, pooled (9·3.200556 + 9·4.009)/18 = 3.604778, SD 1.898625;
    // d = −1.58/1.898625 = −0.832181; J = 1 − 3/(4·20 − 9) = 68/71; g = −0.797019.
    expect(welchTTest(sleepGroup1, sleepGroup2)?.hedgesG).toBeCloseTo(-0.797019, 6);
    expect(welchTTest(sleepGroup2, sleepGroup1)?.hedgesG).toBeCloseTo(0.797019, 6);
  });

  it("is null for groups with fewer than 2 values; constant groups give NaN df and p", () => {
    expect(welchTTest([1], [1, 2, 3])).toBeNull();
    expect(welchTTest([1, 2, 3], [])).toBeNull();
    const constant = welchTTest([2, 2, 2], [1, 1, 1]);
    expect(constant?.t).toBe(Number.POSITIVE_INFINITY);
    expect(constant?.degreesOfFreedom).toBeNaN();
    expect(constant?.pValue).toBeNaN();
  });
});

describe("welchTTestFromSummaries", () => {
  it("reproduces R's t.test on the sleep data from count, avg and var_samp", () => {
    // Group 1: mean 0.75, variance 3.2005556; group 2: mean 2.33, variance 4.009.
    const result = welchTTestFromSummaries(
      { n: 10, mean: 0.75, variance: 3.2005555555555554 },
      { n: 10, mean: 2.33, variance: 4.009 },
    );
    expect(result?.t).toBeCloseTo(-1.8608, 4);
    expect(result?.degreesOfFreedom).toBeCloseTo(17.776, 3);
    expect(result?.pValue).toBeCloseTo(0.07939, 5);
    expect(result?.lower).toBeCloseTo(-3.3654832, 6);
    expect(result?.upper).toBeCloseTo(0.2054832, 6);
    expect(result?.hedgesG).toBeCloseTo(-0.797019, 6);
  });

  it("is what welchTTest computes from the raw values", () => {
    const summary = (values: number[]) => ({ n: values.length, mean: mean(values), variance: variance(values) });
    expect(welchTTestFromSummaries(summary(sleepGroup1), summary(sleepGroup2), 0.9)).toEqual(
      welchTTest(sleepGroup1, sleepGroup2, 0.9),
    );
    expect(welchTTestFromSummaries(summary([2, 2, 2]), summary([1, 1, 1]))).toEqual(welchTTest([2, 2, 2], [1, 1, 1]));
  });

  it("matches SciPy's ttest_ind_from_stats for unequal groups", () => {
    // scipy.stats.ttest_ind_from_stats(6.2, 1.5, 120, 5.7, 1.9, 85, equal_var=False):
    // t = 2.0207903, p = 0.0450407; Welch df = 153.43181, so the 95% CI is 0.5 ± t(0.975, df)·se
    // = 0.0111947 to 0.9888053. Hedges' g: pooled SD √((119·2.25 + 84·3.61)/203), J = 1 − 3/811.
    const result = welchTTestFromSummaries({ n: 120, mean: 6.2, variance: 2.25 }, { n: 85, mean: 5.7, variance: 3.61 });
    expect(result?.t).toBeCloseTo(2.020790331, 8);
    expect(result?.pValue).toBeCloseTo(0.045040747, 8);
    expect(result?.degreesOfFreedom).toBeCloseTo(153.431813343, 8);
    expect(result?.meanDifference).toBeCloseTo(0.5, 12);
    expect(result?.lower).toBeCloseTo(0.011194713, 8);
    expect(result?.upper).toBeCloseTo(0.988805287, 8);
    expect(result?.hedgesG).toBeCloseTo(0.297025871, 8);
  });

  it("is null when a group has fewer than 2, without reading SQL's NULL variance; rejects invalid summaries", () => {
    const b = { n: 10, mean: 2.33, variance: 4.009 };
    expect(welchTTestFromSummaries({ n: 1, mean: 3, variance: Number.NaN }, b)).toBeNull();
    expect(welchTTestFromSummaries(b, { n: 0, mean: Number.NaN, variance: Number.NaN })).toBeNull();
    expect(() => welchTTestFromSummaries({ n: 2.5, mean: 3, variance: 1 }, b)).toThrow("a.n");
    expect(() => welchTTestFromSummaries(b, { n: 10, mean: 3, variance: -1 })).toThrow("b.variance");
    expect(() => welchTTestFromSummaries({ n: 10, mean: Number.NaN, variance: 1 }, b)).toThrow("a.mean");
    expect(() => welchTTestFromSummaries(b, b, 0)).toThrow("confidence");
  });
});

describe("mannWhitneyU", () => {
  // a = 3 5 5 7 9, b = 1 2 3 5 6. Pooled ranks: 1→1, 2→2, 3 3→3.5, 5 5 5→6, 6→8, 7→9, 9→10.
  // R_a = 3.5 + 6 + 6 + 9 + 10 = 34.5, U_a = 34.5 − 5·6/2 = 19.5 (mean 12.5).
  // Ties: sizes 2 and 3, Σ(t³ − t) = 6 + 24 = 30. Var = 25/12 · (11 − 30/90) = 22.2222, sd 4.714045.
  // z = (19.5 − 12.5 − 0.5)/4.714045 = 1.378858, p = 2Φ(−1.378858) = 0.16794.
  // R: wilcox.test(a, b, exact = FALSE, correct = TRUE) → W = 19.5, p-value = 0.1679 (SciPy's
  // mannwhitneyu(method = "asymptotic", use_continuity = True) agrees: 0.1679385).
  const a = [3, 5, 5, 7, 9];
  const b = [1, 2, 3, 5, 6];

  it("matches the hand calculation with ties and continuity correction", () => {
    const result = mannWhitneyU(a, b);
    expect(result?.u).toBe(19.5);
    expect(result?.z).toBeCloseTo(1.378858, 6);
    expect(result?.pValue).toBeCloseTo(0.1679385, 7);
    // 2 × 19.5/25 − 1.
    expect(result?.rankBiserial).toBeCloseTo(0.56, 12);
  });

  it("is antisymmetric in the groups", () => {
    const swapped = mannWhitneyU(b, a);
    expect(swapped?.u).toBe(25 - 19.5);
    expect(swapped?.z).toBeCloseTo(-1.378858, 6);
    expect(swapped?.pValue).toBeCloseTo(0.1679385, 7);
    expect(swapped?.rankBiserial).toBeCloseTo(-0.56, 12);
  });

  it("gives rank-biserial ±1 for complete separation", () => {
    // U_a = 9 of 9 pairs; no ties: Var = 9/12 · 7 = 5.25; z = (9 − 4.5 − 0.5)/√5.25 = 1.745743.
    const result = mannWhitneyU([7, 8, 9], [1, 2, 3]);
    expect(result?.rankBiserial).toBe(1);
    expect(result?.z).toBeCloseTo(1.745743, 6);
    expect(mannWhitneyU([1, 2, 3], [7, 8, 9])?.rankBiserial).toBe(-1);
  });

  it("is null for an empty group; all-tied data give rank-biserial 0 and NaN z and p", () => {
    expect(mannWhitneyU([], [1, 2])).toBeNull();
    const tied = mannWhitneyU([4, 4], [4, 4, 4]);
    expect(tied?.u).toBe(3);
    expect(tied?.rankBiserial).toBe(0);
    expect(tied?.z).toBeNaN();
    expect(tied?.pValue).toBeNaN();
  });
});

describe("mannWhitneyUFromFrequencies", () => {
  // Scores 1–5, heavily tied: group a (200) 30 45 60 40 25, group b (175) 50 55 40 20 10.
  // Tie groups 80, 100, 100, 60, 35 of N = 375; mid-ranks 40.5, 130.5, 230.5, 310.5, 358;
  // R_a = 30·40.5 + 45·130.5 + 60·230.5 + 40·310.5 + 25·358 = 42287.5,
  // U_a = 42287.5 − 200·201/2 = 22187.5 of 35000 pairs.
  // SciPy: mannwhitneyu(a, b, method="asymptotic", use_continuity=True) → U = 22187.5,
  // p = 4.2640142e-6.
  const scores = [1, 2, 3, 4, 5];
  const countsA = [30, 45, 60, 40, 25];
  const countsB = [50, 55, 40, 20, 10];
  const table = scores.map((value, i) => ({ value, a: countsA[i] ?? 0, b: countsB[i] ?? 0 }));
  const expand = (counts: number[]) => scores.flatMap((value, i) => Array(counts[i] ?? 0).fill(value));

  it("matches SciPy and the hand calculation on heavily tied scores", () => {
    const result = mannWhitneyUFromFrequencies(table);
    expect(result?.u).toBe(22187.5);
    expect(result?.pValue).toBeCloseTo(4.264014179514414e-6, 12);
    expect(result?.rankBiserial).toBeCloseTo((2 * 22187.5) / 35000 - 1, 12);
  });

  it("is what mannWhitneyU computes from the raw values, whatever the order and splitting of rows", () => {
    const raw = mannWhitneyU(expand(countsA), expand(countsB));
    expect(mannWhitneyUFromFrequencies(table)).toEqual(raw);
    // Reversed, with value 3 split over two rows and a row with no observations.
    const shuffled = [
      { value: 5, a: 25, b: 10 },
      { value: 3, a: 20, b: 0 },
      { value: 4, a: 40, b: 20 },
      { value: 7, a: 0, b: 0 },
      { value: 3, a: 40, b: 40 },
      { value: 1, a: 30, b: 50 },
      { value: 2, a: 45, b: 55 },
    ];
    expect(mannWhitneyUFromFrequencies(shuffled)).toEqual(raw);
    // The small hand-worked example above: a = 3 5 5 7 9, b = 1 2 3 5 6.
    expect(
      mannWhitneyUFromFrequencies([
        { value: 1, a: 0, b: 1 },
        { value: 2, a: 0, b: 1 },
        { value: 3, a: 1, b: 1 },
        { value: 5, a: 2, b: 1 },
        { value: 6, a: 0, b: 1 },
        { value: 7, a: 1, b: 0 },
        { value: 9, a: 1, b: 0 },
      ]),
    ).toEqual(mannWhitneyU([3, 5, 5, 7, 9], [1, 2, 3, 5, 6]));
  });

  it("is null for an empty group, NaN z when all tied, and rejects bad rows naming the row", () => {
    expect(mannWhitneyUFromFrequencies([])).toBeNull();
    expect(mannWhitneyUFromFrequencies([{ value: 1, a: 3, b: 0 }])).toBeNull();
    const tied = mannWhitneyUFromFrequencies([{ value: 4, a: 2, b: 3 }]);
    expect(tied).toEqual(mannWhitneyU([4, 4], [4, 4, 4]));
    expect(tied?.z).toBeNaN();
    expect(() => mannWhitneyUFromFrequencies([{ value: Number.NaN, a: 1, b: 1 }])).toThrow("row 0");
    expect(() =>
      mannWhitneyUFromFrequencies([
        { value: 1, a: 1, b: 1 },
        { value: 2, a: 1.5, b: 1 },
      ]),
    ).toThrow("row 1: a");
    expect(() => mannWhitneyUFromFrequencies([{ value: 2, a: 1, b: -1 }])).toThrow("row 0: b");
  });
});

describe("proportionDifference", () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Stat Med 17:873-890, table II, method 10.
  it.each([
    [56, 70, 48, 80, 0.2, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.6, 0.1705, 0.809],
  ])("%i/%i − %i/%i = %f, 95%% CI %f to %f (Newcombe 1998, table II)", (sA, nA, sB, nB, difference, lower, upper) => {
    const result = proportionDifference(sA, nA, sB, nB);
    expect(result?.difference).toBeCloseTo(difference, 12);
    expect(result?.lower).toBeCloseTo(lower, 4);
    expect(result?.upper).toBeCloseTo(upper, 4);
  });

  it("with zero counts, is bounded by the single-proportion Wilson limits", () => {
    // 0/10 − 0/20: lower = −(Wilson upper of 0/20) = −0.1611, upper = Wilson upper of 0/10 = 0.2775.
    const result = proportionDifference(0, 10, 0, 20);
    expect(result?.difference).toBe(0);
    expect(result?.lower).toBeCloseTo(-0.1611, 4);
    expect(result?.upper).toBeCloseTo(0.2775, 4);
    // No variation at all: the pooled z-test is undefined.
    expect(result?.z).toBeNaN();
    expect(result?.pValue).toBeNaN();
    expect(result?.cohensH).toBe(0);
  });

  it("computes the pooled z-test and Cohen's h", () => {
    // Pooled p = 104/150 = 0.693333; se = √(0.693333·0.306667·(1/70 + 1/80)) = 0.0754668;
    // z = 0.2/0.0754665 = 2.650172; p = 0.008045 (= prop.test(c(56, 48), c(70, 80),
    // correct = FALSE): X² = z² = 7.0234).
    // h = 2·asin(√0.8) − 2·asin(√0.6) = 2.214297 − 1.772154 = 0.442143.
    const result = proportionDifference(56, 70, 48, 80);
    expect(result?.z).toBeCloseTo(2.650172, 6);
    expect(result?.pValue).toBeCloseTo(0.008045, 6);
    expect(result?.cohensH).toBeCloseTo(0.442143, 6);
  });

  it("is null when a group has no trials and rejects impossible counts", () => {
    expect(proportionDifference(0, 0, 3, 10)).toBeNull();
    expect(proportionDifference(3, 10, 0, 0)).toBeNull();
    expect(() => proportionDifference(11, 10, 3, 10)).toThrow(RangeError);
  });
});
