import { describe, expect, it } from "vitest";
import { icc21, icc21FromPairSums, iccInterpretation } from "./agreement.ts";

describe("icc21", () => {
  it("reproduces Shrout & Fleiss (1979), table 2: ICC(2,1) = 0.29", () => {
    // 6 targets × 4 judges. Their table 3 ANOVA: BMS = 11.24, JMS = 32.49, EMS = 1.02, so
    // (11.24 − 1.02)/(11.24 + 3·1.02 + 4·(32.49 − 1.02)/6) = 10.22/35.28 = 0.2898.
    const ratings = [
      [9, 2, 5, 8],
      [6, 1, 3, 2],
      [8, 4, 6, 8],
      [7, 1, 2, 6],
      [10, 5, 6, 9],
      [6, 2, 4, 7],
    ];
    expect(icc21(ratings)).toBeCloseTo(0.29, 2);
    expect(icc21(ratings)).toBeCloseTo(0.2898, 4);
  });

  it("is 1 for exact agreement and penalises a constant offset (absolute agreement)", () => {
    expect(
      icc21([
        [1, 1],
        [3, 3],
        [5, 5],
      ]),
    ).toBeCloseTo(1, 12);
    // Rater 2 always scores 1 higher. BMS = 2·(1 + 0 + 1)/2 = 2, JMS = 3·(0.25 + 0.25)/1 = 1.5,
    // EMS = 0: ICC = 2/(2 + 0 + 2·1.5/3) = 2/3. (A consistency ICC would be 1.)
    expect(
      icc21([
        [1, 2],
        [2, 3],
        [3, 4],
      ]),
    ).toBeCloseTo(2 / 3, 12);
  });

  it("is NaN for fewer than 2 targets or raters, and rejects ragged rows", () => {
    expect(icc21([])).toBeNaN();
    expect(icc21([[1, 2, 3]])).toBeNaN();
    expect(icc21([[1], [2], [3]])).toBeNaN();
    expect(() => icc21([[1, 2], [3]])).toThrow("row 1");
  });
});

describe("iccInterpretation", () => {
  it("applies Cicchetti's (1994) bands at their boundaries", () => {
    expect(iccInterpretation(-0.2)).toBe("poor");
    expect(iccInterpretation(0.399)).toBe("poor");
    expect(iccInterpretation(0.4)).toBe("fair");
    expect(iccInterpretation(0.59)).toBe("fair");
    expect(iccInterpretation(0.6)).toBe("good");
    expect(iccInterpretation(0.749)).toBe("good");
    expect(iccInterpretation(0.75)).toBe("excellent");
    expect(iccInterpretation(1)).toBe("excellent");
  });

  it("rejects NaN", () => {
    expect(() => iccInterpretation(Number.NaN)).toThrow(RangeError);
  });
});

describe("icc21FromPairSums", () => {
  const sumsOf = (pairs: readonly (readonly [number, number])[]) => ({
    n: pairs.length,
    sumA: pairs.reduce((sum, [a]) => sum + a, 0),
    sumB: pairs.reduce((sum, [, b]) => sum + b, 0),
    sumAA: pairs.reduce((sum, [a]) => sum + a * a, 0),
    sumBB: pairs.reduce((sum, [, b]) => sum + b * b, 0),
    sumAB: pairs.reduce((sum, [a, b]) => sum + a * b, 0),
  });

  it("equals icc21 on the same two raters' ratings", () => {
    // Shrout & Fleiss's table 2, judges 1 and 3.
    const pairs = [
      [9, 5],
      [6, 3],
      [8, 6],
      [7, 2],
      [10, 6],
      [6, 4],
    ] as const;
    expect(icc21FromPairSums(sumsOf(pairs))).toBeCloseTo(icc21(pairs), 12);
    const offset = [
      [3.5, 3],
      [4, 3.5],
      [2.5, 2.5],
      [4.5, 4],
    ] as const;
    expect(icc21FromPairSums(sumsOf(offset))).toBeCloseTo(icc21(offset), 12);
  });

  it("is NaN with fewer than two targets or no variation", () => {
    expect(icc21FromPairSums(sumsOf([[3, 4]]))).toBeNaN();
    expect(
      icc21FromPairSums(
        sumsOf([
          [3, 3],
          [3, 3],
        ]),
      ),
    ).toBeNaN();
  });
});
