import { describe, expect, it } from "vitest";
import {
  binomialQuantile,
  chiSquareUpperTail,
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
