import ttest2 from "@stdlib/stats-ttest2";
import { describe, expect, it } from "vitest";
import { mannWhitneyU, proportionDifference, welchTTest } from "./tests.ts";

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
