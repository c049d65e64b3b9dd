import { describe, expect, it } from "vitest";
import { meanInterval, meanIntervalFromSummary, wilsonInterval } from "./intervals.ts";

describe("wilsonInterval", () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med
  // 17:857-872, table I, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i/%i → %f to %f (Newcombe 1998, table I)", (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval?.estimate).toBeCloseTo(successes / trials, 12);
    expect(interval?.lower).toBeCloseTo(lower, 4);
    expect(interval?.upper).toBeCloseTo(upper, 4);
  });

  it("is exactly 0 or 1 at the boundaries, and symmetric: bounds for s/n mirror those for (n − s)/n", () => {
    expect(wilsonInterval(0, 20)?.lower).toBe(0);
    expect(wilsonInterval(29, 29)?.upper).toBe(1);
    expect(wilsonInterval(29, 29)?.lower).toBeCloseTo(1 - (wilsonInterval(0, 29)?.upper ?? 0), 12);
    expect(wilsonInterval(28, 29)?.lower).toBeCloseTo(1 - (wilsonInterval(1, 29)?.upper ?? 0), 12);
  });

  it("narrows as the confidence level falls", () => {
    const wide = wilsonInterval(81, 263, 0.99);
    const narrow = wilsonInterval(81, 263, 0.9);
    expect((wide?.upper ?? 0) - (wide?.lower ?? 0)).toBeGreaterThan((narrow?.upper ?? 0) - (narrow?.lower ?? 0));
  });

  it("is null without trials and rejects impossible counts", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 95)).toThrow(/confidence/);
  });
});

describe("meanInterval", () => {
  it("matches R's t.test(1:5)$conf.int: 1.036757 to 4.963243", () => {
    // Mean 3, sd √2.5 = 1.581139, se 0.707107, t(0.975, 4) = 2.776445 → ± 1.963243.
    const interval = meanInterval([1, 2, 3, 4, 5]);
    expect(interval?.mean).toBe(3);
    expect(interval?.sd).toBeCloseTo(1.581139, 6);
    expect(interval?.n).toBe(5);
    expect(interval?.lower).toBeCloseTo(1.036757, 6);
    expect(interval?.upper).toBeCloseTo(4.963243, 6);
  });

  it("collapses onto the mean for constant values", () => {
    expect(meanInterval([7, 7, 7])).toEqual({ mean: 7, lower: 7, upper: 7, n: 3, sd: 0 });
  });

  it("is null for fewer than 2 values and rejects non-finite ones", () => {
    expect(meanInterval([])).toBeNull();
    expect(meanInterval([4])).toBeNull();
    expect(() => meanInterval([1, Number.NaN])).toThrow("index 1");
  });
});

describe("meanIntervalFromSummary", () => {
  it("matches R's t.test(1:5)$conf.int from n, mean and variance", () => {
    const interval = meanIntervalFromSummary({ n: 5, mean: 3, variance: 2.5 });
    expect(interval).toEqual(meanInterval([1, 2, 3, 4, 5]));
    expect(interval?.lower).toBeCloseTo(1.036757, 6);
    expect(interval?.upper).toBeCloseTo(4.963243, 6);
    expect(meanIntervalFromSummary({ n: 3, mean: 7, variance: 0 })).toEqual(meanInterval([7, 7, 7]));
  });

  it("matches SciPy for a large group at 90%", () => {
    // n = 200, mean 5.5, SD 2: scipy.stats.t.interval(0.95, 199, 5.5, 2/√200) = 5.2211232 to
    // 5.7788768; at 90% the interval is narrower.
    const interval = meanIntervalFromSummary({ n: 200, mean: 5.5, variance: 4 });
    expect(interval?.lower).toBeCloseTo(5.221123231, 8);
    expect(interval?.upper).toBeCloseTo(5.778876769, 8);
    expect(interval?.sd).toBe(2);
    const narrow = meanIntervalFromSummary({ n: 200, mean: 5.5, variance: 4 }, 0.9);
    expect(narrow?.lower).toBeGreaterThan(interval?.lower ?? 0);
  });

  it("is null for n < 2 without reading SQL's NULL variance, and rejects invalid summaries", () => {
    expect(meanIntervalFromSummary({ n: 1, mean: 4, variance: Number.NaN })).toBeNull();
    expect(meanIntervalFromSummary({ n: 0, mean: Number.NaN, variance: Number.NaN })).toBeNull();
    expect(() => meanIntervalFromSummary({ n: 3.5, mean: 4, variance: 1 })).toThrow("summary.n");
    expect(() => meanIntervalFromSummary({ n: 3, mean: 4, variance: -0.1 })).toThrow("summary.variance");
    expect(() => meanIntervalFromSummary({ n: 3, mean: Number.POSITIVE_INFINITY, variance: 1 })).toThrow(
      "summary.mean",
    );
  });
});
