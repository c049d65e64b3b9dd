import { describe, expect, it } from "vitest";
import { tuneOffsets, tuneThreshold } from "./calibration.ts";

describe("decision offsets for macro-F1", () => {
  it("lower the bar for a rare class the plain argmax never chooses", () => {
    // Class 1 is rare and always second-best: argmax never picks it; an offset recovers it.
    const probabilities = [
      ...Array.from({ length: 20 }, () => [0.7, 0.2, 0.1]),
      ...Array.from({ length: 5 }, () => [0.5, 0.45, 0.05]),
      ...Array.from({ length: 20 }, () => [0.1, 0.1, 0.8]),
    ];
    const truth = [...Array(20).fill(0), ...Array(5).fill(1), ...Array(20).fill(2)];
    const offsets = tuneOffsets(probabilities, truth);
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBeGreaterThan(0);
    const chosen = probabilities.map((p) => {
      const scores = p.map((value, k) => Math.log(value) + (offsets[k] ?? 0));
      return scores.indexOf(Math.max(...scores));
    });
    expect(chosen.slice(20, 25)).toEqual([1, 1, 1, 1, 1]);
    expect(chosen.slice(0, 20).every((k) => k === 0)).toBe(true);
  });

  it("stay at zero when the argmax is already right", () => {
    expect(
      tuneOffsets(
        [
          [0.9, 0.1],
          [0.2, 0.8],
        ],
        [0, 1],
      ),
    ).toEqual([0, 0]);
  });
});

describe("detector thresholds for F1", () => {
  it("sit between the positives and the negatives, preferring the higher bar on ties", () => {
    const threshold = tuneThreshold([0.05, 0.1, 0.2, 0.35, 0.4, 0.6], [false, false, false, true, true, true]);
    expect(threshold).toBeGreaterThan(0.2);
    expect(threshold).toBeLessThanOrEqual(0.35);
  });

  it("default to 0.5 without positives", () => {
    expect(tuneThreshold([0.2, 0.7], [false, false])).toBe(0.5);
  });
});
