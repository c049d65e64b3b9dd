import { describe, expect, it } from "vitest";
import { classificationScores, rocAuc } from "./scores.ts";

describe("classificationScores", () => {
  it("computes per-class and macro F1", () => {
    const truth = ["a", "a", "a", "b", "b", "c"];
    const predicted = ["a", "a", "b", "b", "c", "c"];
    const { perClass, macroF1, accuracy } = classificationScores(["a", "b", "c"], truth, predicted);
    // a: P 1, R 2/3 → F1 0.8; b: P 1/2, R 1/2 → 0.5; c: P 1/2, R 1 → 2/3.
    expect(perClass.map((scores) => scores.f1)).toEqual([0.8, 0.5, expect.closeTo(2 / 3, 10)]);
    expect(macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 10);
    expect(accuracy).toBeCloseTo(4 / 6, 10);
  });
});

describe("rocAuc", () => {
  it("is 1 for perfect separation, 0.5 for none, and counts ties as half", () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    // Positives 3 and 1 against negatives 2 and 0: wins 2 + 1 of 4 pairs.
    expect(rocAuc([3, 1, 2, 0], [true, true, false, false])).toBe(0.75);
  });
});
