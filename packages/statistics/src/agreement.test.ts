import { describe, expect, it } from "vitest";
import { icc21, icc21FromPairSums, icc21IntervalFromPairSums, iccInterpretation } from "./agreement.ts";

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

const sumsOf = (pairs: readonly (readonly [number, number])[]) => ({
  n: pairs.length,
  sumA: pairs.reduce((sum, [a]) => sum + a, 0),
  sumB: pairs.reduce((sum, [, b]) => sum + b, 0),
  sumAA: pairs.reduce((sum, [a]) => sum + a * a, 0),
  sumBB: pairs.reduce((sum, [, b]) => sum + b * b, 0),
  sumAB: pairs.reduce((sum, [a, b]) => sum + a * b, 0),
});

describe("icc21FromPairSums", () => {
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

describe("icc21IntervalFromPairSums", () => {
  it("gives McGraw & Wong's 95% interval, as pingouin's ICC2 computes it", () => {
    // Reference: the formulas of McGraw & Wong (1996) case 2A evaluated with scipy.stats.f.ppf
    // (pingouin.intraclass_corr's ICC2 row does the same). Shrout & Fleiss's judges 1 and 3:
    // ICC 0.238683, v = 1.70866, interval −0.056853 to 0.761972.
    const judges = sumsOf([
      [9, 5],
      [6, 3],
      [8, 6],
      [7, 2],
      [10, 6],
      [6, 4],
    ]);
    const interval = icc21IntervalFromPairSums(judges);
    expect(interval?.icc).toBeCloseTo(0.2386831276, 9);
    expect(interval?.lower).toBeCloseTo(-0.0568528279, 8);
    expect(interval?.upper).toBeCloseTo(0.7619722215, 8);
    // A constant offset with little noise: ICC 0.852459, interval −0.060653 to 0.989723 (n = 4).
    const offset = icc21IntervalFromPairSums(
      sumsOf([
        [3.5, 3],
        [4, 3.5],
        [2.5, 2.5],
        [4.5, 4],
      ]),
    );
    expect(offset?.icc).toBeCloseTo(0.8524590164, 9);
    expect(offset?.lower).toBeCloseTo(-0.0606525336, 8);
    expect(offset?.upper).toBeCloseTo(0.9897227868, 8);
  });

  it("narrows as the sample grows and holds its estimate", () => {
    const pairs: [number, number][] = Array.from({ length: 60 }, (_, i) => {
      const truth = 1 + ((i * 7) % 40) / 10;
      return [truth + (((i * 13) % 5) - 2) / 10, truth];
    });
    const small = icc21IntervalFromPairSums(sumsOf(pairs.slice(0, 10)));
    const large = icc21IntervalFromPairSums(sumsOf(pairs));
    expect(large?.lower).toBeLessThan(large?.icc ?? Number.NaN);
    expect(large?.upper).toBeGreaterThan(large?.icc ?? Number.NaN);
    expect((large?.upper ?? 0) - (large?.lower ?? 0)).toBeLessThan((small?.upper ?? 0) - (small?.lower ?? 0));
  });

  it("keeps an interval around an estimate below −1 (raters disagreeing more than targets vary)", () => {
    // SciPy (as above): ICC −1.639344, 95% CI −1.660412 to −1.449351.
    const crossed = icc21IntervalFromPairSums(
      sumsOf([
        [1, 5],
        [5, 1],
        [2, 4],
        [4, 2],
        [3, 3.5],
      ]),
    );
    expect(crossed?.icc).toBeCloseTo(-1.6393442623, 9);
    expect(crossed?.lower).toBeCloseTo(-1.6604122084, 8);
    expect(crossed?.upper).toBeCloseTo(-1.4493507503, 8);
  });

  it("is null where there is no interval: too few targets, no variation, perfect agreement", () => {
    expect(icc21IntervalFromPairSums(sumsOf([[3, 4]]))).toBeNull();
    expect(
      icc21IntervalFromPairSums(
        sumsOf([
          [3, 3],
          [3, 3],
        ]),
      ),
    ).toBeNull();
    expect(
      icc21IntervalFromPairSums(
        sumsOf([
          [1, 1],
          [2, 2],
          [4, 4],
        ]),
      ),
    ).toBeNull();
    expect(() => icc21IntervalFromPairSums(sumsOf([[1, 2]]), 1)).toThrow(RangeError);
  });
});
