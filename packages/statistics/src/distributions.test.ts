import { describe, expect, it } from "vitest";
import {
  binomialQuantile,
  chiSquareUpperTail,
  fCdf,
  fQuantile,
  normalCriticalValue,
  tCriticalValue,
  twoSidedNormalPValue,
  twoSidedTPValue,
} from "./distributions.ts";

describe("distribution wrappers", () => {
  it("match standard table values", () => {
    expect(normalCriticalValue(0.95)).toBeCloseTo(1.959964, 6);
    expect(normalCriticalValue(0.99)).toBeCloseTo(2.575829, 6);
    expect(tCriticalValue(0.95, 9)).toBeCloseTo(2.262157, 6);
    expect(tCriticalValue(0.95, 4)).toBeCloseTo(2.776445, 6);
    expect(twoSidedNormalPValue(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedNormalPValue(-1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedTPValue(2.262157, 9)).toBeCloseTo(0.05, 6);
    expect(chiSquareUpperTail(3.841459, 1)).toBeCloseTo(0.05, 6);
    // With 2 degrees of freedom the upper tail is exactly exp(−x/2).
    expect(chiSquareUpperTail(3, 2)).toBeCloseTo(Math.exp(-1.5), 12);
  });
});

describe("binomialQuantile", () => {
  it("is the smallest k with P(X ≤ k) ≥ p, like R's qbinom", () => {
    // Binomial(9, ½): P(X ≤ 1) = 10/512 ≈ 0.0195, P(X ≤ 2) = 46/512 ≈ 0.0898 → 2.
    expect(binomialQuantile(0.05, 9, 0.5)).toBe(2);
    // qbinom(0.05, c(19, 29, 39), 0.5) = 6, 10, 14 (also Anhøj & Olesen 2014, table 1).
    expect(binomialQuantile(0.05, 19, 0.5)).toBe(6);
    expect(binomialQuantile(0.05, 29, 0.5)).toBe(10);
    expect(binomialQuantile(0.05, 39, 0.5)).toBe(14);
    expect(binomialQuantile(0.05, 0, 0.5)).toBe(0);
  });

  it("does not underflow for long series", () => {
    // (½)^2000 underflows to 0 in doubles; the normal approximation gives ≈ 1000 − 1.645·√500 ≈ 963.
    const k = binomialQuantile(0.05, 2000, 0.5);
    expect(k).toBeGreaterThanOrEqual(961);
    expect(k).toBeLessThanOrEqual(965);
  });
});

describe("the F distribution", () => {
  // Reference values: SciPy 1.17 (scipy.stats.f.ppf and f.cdf), 12 significant digits.
  const cases: [probability: number, numerator: number, denominator: number, quantile: number, cdfAt17: number][] = [
    [0.975, 10, 20, 2.7736713752, 0.850065738763],
    [0.975, 1, 1, 647.789011478, 0.583478409773],
    [0.975, 5, 3.7, 10.4665456356, 0.676532734767],
    [0.5, 3, 7, 0.870944253187, 0.746756072935],
    [0.025, 4, 12.5, 0.114516190901, 0.787975735138],
    [0.999, 2, 0.8, 12649110.2407, 0.484846946208],
    [0.975, 200, 150, 1.35481649132, 0.999662513354],
  ];

  it("matches SciPy's quantiles and CDF, fractional degrees of freedom included", () => {
    for (const [probability, numerator, denominator, quantile, cdfAt17] of cases) {
      const label = `F(${numerator}, ${denominator})`;
      expect(fQuantile(probability, numerator, denominator) / quantile, label).toBeCloseTo(1, 10);
      expect(fCdf(1.7, numerator, denominator), label).toBeCloseTo(cdfAt17, 10);
      expect(fCdf(fQuantile(probability, numerator, denominator), numerator, denominator), label).toBeCloseTo(
        probability,
        10,
      );
    }
  });

  it("has its ends at 0 and infinity, and rejects bad arguments", () => {
    expect(fQuantile(0, 3, 4)).toBe(0);
    expect(fQuantile(1, 3, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(fCdf(-1, 3, 4)).toBe(0);
    expect(() => fQuantile(0.5, 0, 4)).toThrow(RangeError);
    expect(() => fQuantile(1.5, 3, 4)).toThrow(RangeError);
    expect(() => fCdf(1, 3, Number.NaN)).toThrow(RangeError);
  });
});
