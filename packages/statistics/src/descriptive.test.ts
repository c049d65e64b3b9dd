import { describe, expect, it } from "vitest";
import { mean, median, quantile, standardDeviation, variance } from "./descriptive.ts";

describe("mean, variance, standardDeviation", () => {
  it("computes the sample (n − 1) statistics", () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    // Mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32/7.
    expect(mean(values)).toBe(5);
    expect(variance(values)).toBeCloseTo(32 / 7, 12);
    expect(standardDeviation(values)).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it("stays accurate for large values with a small spread (two-pass variance)", () => {
    // The one-pass Σx² − n·x̄² formula loses every digit here.
    expect(variance([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])).toBeCloseTo(30, 6);
  });

  it("gives NaN when undefined", () => {
    expect(mean([])).toBeNaN();
    expect(variance([3])).toBeNaN();
    expect(standardDeviation([])).toBeNaN();
  });
});

describe("median and quantile", () => {
  it("takes the middle value, or the mean of the middle two, whatever the input order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("interpolates like R's quantile type 7", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // Position (n − 1)p = 9 × 0.25 = 2.25: 3 + 0.25 × (4 − 3).
    expect(quantile(values, 0.25)).toBeCloseTo(3.25, 12);
    expect(quantile(values, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 1)).toBe(10);
  });

  it("rejects a probability outside [0, 1]", () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });
});
