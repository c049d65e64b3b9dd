import { describe, expect, it } from "vitest";
import { classificationScores, icc21, rocAuc } from "./scores.ts";

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

describe("icc21", () => {
  it("reproduces Shrout & Fleiss (1979), table 2: ICC(2,1) = 0.29", () => {
    const ratings = [
      [9, 2, 5, 8],
      [6, 1, 3, 2],
      [8, 4, 6, 8],
      [7, 1, 2, 6],
      [10, 5, 6, 9],
      [6, 2, 4, 7],
    ];
    expect(icc21(ratings)).toBeCloseTo(0.29, 2);
  });

  it("is 1 when the raters agree exactly", () => {
    expect(
      icc21([
        [1, 1],
        [2, 2],
        [5, 5],
      ]),
    ).toBeCloseTo(1, 10);
  });
});
