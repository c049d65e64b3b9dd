import { describe, expect, it } from "vitest";
import { pChart, runChart, type Signal, specialCauses, xmrChart } from "./control-charts.ts";

const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

describe("specialCauses", () => {
  it("flags each point beyond a limit, with per-point or shared limits", () => {
    expect(specialCauses([1, 5, -5, 0], 0, -4, 4)).toEqual([
      { rule: "beyond-limits", indices: [1] },
      { rule: "beyond-limits", indices: [2] },
    ]);
    // A point exactly on a limit is not beyond it.
    expect(specialCauses([4, 0.5], 0, [-4, -1], [4, 0.4])).toEqual([{ rule: "beyond-limits", indices: [1] }]);
    expect(() => specialCauses([1, 2], 0, [-1], 5)).toThrow("lower limits");
  });

  it("needs 8 points on one side for a shift; a point on the centre line ends the run", () => {
    const seven = [1, 1, 1, 1, 1, 1, 1, -1];
    expect(specialCauses(seven, 0, -10, 10)).toEqual([]);
    const eight = [-1, 1, 1, 1, 1, 1, 1, 1, 1, -1];
    expect(specialCauses(eight, 0, -10, 10)).toEqual([{ rule: "shift", indices: range(1, 8) }]);
    const broken = [-1, -1, -1, -1, 0, -1, -1, -1, -1];
    expect(specialCauses(broken, 0, -10, 10)).toEqual([]);
  });

  it("needs 6 points steadily rising or falling for a trend (5 strict steps); ties end it", () => {
    // With the centre at 3.5 no run on one side is long enough for a shift.
    expect(specialCauses([1, 2, 3, 4, 5], 3.5, -10, 10)).toEqual([]);
    expect(specialCauses([1, 2, 3, 4, 5, 6], 3.5, -10, 10)).toEqual([{ rule: "trend", indices: range(0, 5) }]);
    expect(specialCauses([9, 6, 5, 4, 3, 2, 1, 3], 3.5, -10, 10)).toEqual([{ rule: "trend", indices: range(0, 6) }]);
    expect(specialCauses([1, 2, 3, 3, 4, 5, 6], 3.5, -10, 10)).toEqual([]);
  });

  it("treats a missing (NaN) point as a gap: no breach, and runs restart after it", () => {
    const values = [1, 1, 1, 1, Number.NaN, 1, 1, 1, 1];
    expect(specialCauses(values, 0, -10, [10, 10, 10, 10, Number.NaN, 10, 10, 10, 10])).toEqual([]);
  });
});

describe("xmrChart", () => {
  it("computes the limits and flags a point beyond them", () => {
    // Values 4 10 4 10 4 10 4 10 4 35: x̄ = 95/10 = 9.5. Moving ranges 6 (×8) and 31:
    // MR̄ = 79/9 = 8.7778. Limits 9.5 ± 2.66 × 8.7778 = 9.5 ± 23.3489 → −13.8489 to 32.8489;
    // MR limit 3.267 × 8.7778 = 28.677. Only 35 > 32.85; the alternation leaves no shift or trend.
    const chart = xmrChart([4, 10, 4, 10, 4, 10, 4, 10, 4, 35]);
    expect(chart.centre).toBe(9.5);
    expect(chart.movingRanges).toEqual([6, 6, 6, 6, 6, 6, 6, 6, 31]);
    expect(chart.movingRangeCentre).toBeCloseTo(79 / 9, 12);
    expect(chart.upperLimit).toBeCloseTo(32.848889, 6);
    expect(chart.lowerLimit).toBeCloseTo(-13.848889, 6);
    expect(chart.movingRangeUpperLimit).toBeCloseTo(28.677, 6);
    expect(chart.signals).toEqual([{ rule: "beyond-limits", indices: [9] }]);
  });

  it("flags an 8-point shift", () => {
    // 2 3 2 3 then 5 6 5 6 5 6 5 6: x̄ = 54/12 = 4.5; MR̄ = (10 × 1 + 2)/11 = 1.0909; limits
    // 4.5 ± 2.9018 → 1.598 to 7.402, all points inside. Points 4-11 are all above 4.5.
    const chart = xmrChart([2, 3, 2, 3, 5, 6, 5, 6, 5, 6, 5, 6]);
    expect(chart.centre).toBe(4.5);
    expect(chart.lowerLimit).toBeCloseTo(1.598182, 6);
    expect(chart.upperLimit).toBeCloseTo(7.401818, 6);
    expect(chart.signals).toEqual([{ rule: "shift", indices: range(4, 11) }]);
  });

  it("flags a 6-point trend", () => {
    // 3 5 3 5 1 2 3 4 5 6 4: x̄ = 41/11 = 3.7273; MR̄ = 17/10 = 1.7; limits 3.7273 ± 4.522 →
    // −0.795 to 8.249. Points 4-9 (1, 2, 3, 4, 5, 6) rise 5 times in a row; the longest run on
    // one side of the centre is 4 (points 7-10).
    const chart = xmrChart([3, 5, 3, 5, 1, 2, 3, 4, 5, 6, 4]);
    expect(chart.centre).toBeCloseTo(41 / 11, 12);
    expect(chart.movingRangeCentre).toBeCloseTo(1.7, 12);
    expect(chart.upperLimit).toBeCloseTo(8.249273, 6);
    expect(chart.signals).toEqual([{ rule: "trend", indices: range(4, 9) }]);
  });

  it("has NaN limits for fewer than 2 values and rejects non-finite values", () => {
    const single = xmrChart([5]);
    expect(single.centre).toBe(5);
    expect(single.movingRanges).toEqual([]);
    expect(single.upperLimit).toBeNaN();
    expect(single.signals).toEqual([]);
    expect(xmrChart([]).centre).toBeNaN();
    expect(() => xmrChart([1, Number.POSITIVE_INFINITY])).toThrow("index 1");
  });
});

describe("pChart", () => {
  // 1/10, 4/40, 15/30, 0/20: p̄ = 20/100 = 0.2, p̄(1 − p̄) = 0.16, σᵢ = 0.4/√nᵢ.
  const points = [
    { successes: 1, trials: 10 },
    { successes: 4, trials: 40 },
    { successes: 15, trials: 30 },
    { successes: 0, trials: 20 },
  ];

  it("gives per-point limits p̄ ± 3σᵢ, floored at 0, and flags the point above", () => {
    // n = 10: σ = 0.126491, 0.2 ± 0.379473 → −0.1795 floored to 0, 0.579473
    // n = 40: σ = 0.063246, 0.2 ± 0.189737 → 0.010263, 0.389737
    // n = 30: σ = 0.073030, 0.2 ± 0.219089 → −0.0191 floored to 0, 0.419089 (p = 0.5 is above)
    // n = 20: σ = 0.089443, 0.2 ± 0.268328 → −0.0683 floored to 0, 0.468328
    const chart = pChart(points);
    expect(chart.centre).toBe(0.2);
    expect(chart.sigmaZ).toBeUndefined();
    expect(chart.points).toEqual([
      { p: 0.1, lower: 0, upper: expect.closeTo(0.579473, 6) },
      { p: 0.1, lower: expect.closeTo(0.010263, 6), upper: expect.closeTo(0.389737, 6) },
      { p: 0.5, lower: 0, upper: expect.closeTo(0.419089, 6) },
      { p: 0, lower: 0, upper: expect.closeTo(0.468328, 6) },
    ]);
    expect(chart.signals).toEqual<Signal[]>([{ rule: "beyond-limits", indices: [2] }]);
  });

  it("caps the upper limit at 1", () => {
    // p̄ = 19/20 = 0.95, σ = √(0.0475/10) = 0.068920: 0.95 + 0.206761 → capped to 1.
    const chart = pChart([
      { successes: 9, trials: 10 },
      { successes: 10, trials: 10 },
    ]);
    expect(chart.points.map((point) => point.upper)).toEqual([1, 1]);
    expect(chart.points[0]?.lower).toBeCloseTo(0.743239, 6);
  });

  it("computes Laney's σ_z from the moving ranges of the z-scores", () => {
    // zᵢ = (pᵢ − 0.2)/σᵢ = −0.790569, −1.581139, 4.107919, −2.236068; moving ranges 0.790569,
    // 5.689058, 6.343987, mean 4.274538; σ_z = 4.274538/1.128 = 3.789484. Point 2's limits
    // widen to 0.2 ± 3 × 0.073030 × 3.789484 = 0.2 ± 0.830240 → 0 to 1: no longer a signal.
    const chart = pChart(points, { laney: true });
    expect(chart.sigmaZ).toBeCloseTo(3.789484, 6);
    expect(chart.points[2]).toEqual({ p: 0.5, lower: 0, upper: 1 });
    expect(chart.points[1]?.upper).toBeCloseTo(0.2 + 3 * 0.063246 * 3.789484, 4);
    expect(chart.signals).toEqual([]);
  });

  it("P′ limits widen an over-dispersed chart with large denominators", () => {
    // 200, 250, 160, 210 of 1000 each: p̄ = 0.205, σ = √(0.205·0.795/1000) = 0.0127662.
    // P chart: 0.205 ± 0.038298 → 0.166702 to 0.243298; 0.25 and 0.16 are outside.
    // With equal denominators zᵢ = (pᵢ − p̄)/σ, so σ_z·σ = MR̄(p)/1.128 and P′ is the XmR chart
    // of the proportions: MR̄(p) = (0.05 + 0.09 + 0.05)/3, half-width 3 × 0.063333/1.128 = 0.168440.
    const large = [200, 250, 160, 210].map((successes) => ({ successes, trials: 1000 }));
    const plain = pChart(large);
    expect(plain.points[0]?.lower).toBeCloseTo(0.166702, 6);
    expect(plain.points[0]?.upper).toBeCloseTo(0.243298, 6);
    expect(plain.signals).toEqual([
      { rule: "beyond-limits", indices: [1] },
      { rule: "beyond-limits", indices: [2] },
    ]);
    const laney = pChart(large, { laney: true });
    expect(laney.sigmaZ).toBeCloseTo(4.398076, 6);
    expect(laney.points[0]?.lower).toBeCloseTo(0.205 - 0.19 / 1.128, 12);
    expect(laney.points[0]?.upper).toBeCloseTo(0.205 + 0.19 / 1.128, 12);
    expect(laney.signals).toEqual([]);
  });

  it("handles empty months, a zero rate and no data", () => {
    // A month with no cases: NaN p and limits, skipped by the z moving ranges.
    const withGap = pChart([{ successes: 1, trials: 10 }, { successes: 0, trials: 0 }, ...points.slice(1)], {
      laney: true,
    });
    expect(withGap.points[1]?.p).toBeNaN();
    expect(withGap.points[1]?.upper).toBeNaN();
    expect(withGap.sigmaZ).toBeCloseTo(3.789484, 6);
    // p̄ = 0: limits collapse onto 0 even in the Laney chart (σ_z is NaN).
    const zero = pChart(
      [
        { successes: 0, trials: 5 },
        { successes: 0, trials: 8 },
      ],
      { laney: true },
    );
    expect(zero.points).toEqual([
      { p: 0, lower: 0, upper: 0 },
      { p: 0, lower: 0, upper: 0 },
    ]);
    expect(zero.sigmaZ).toBeNaN();
    expect(pChart([])).toEqual({ centre: Number.NaN, points: [], signals: [] });
    expect(() => pChart([{ successes: 3, trials: 2 }])).toThrow("point 0");
  });
});

describe("runChart", () => {
  it("flags too few crossings (n = 10: limits 6 and 2, Anhøj & Olesen 2014 table 1)", () => {
    // 1..10, median 5.5: five below then five above, one crossing.
    // Longest-run limit round(log₂ 10 + 3) = round(6.32) = 6; minimum crossings
    // qbinom(0.05, 9, 0.5) = 2.
    const chart = runChart([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(chart).toEqual({
      median: 5.5,
      longestRun: 5,
      longestRunLimit: 6,
      crossings: 1,
      minimumCrossings: 2,
      signals: [{ rule: "crossings", indices: range(0, 9) }],
    });
  });

  it("flags a long run while the crossings stay normal (n = 30: limits 8 and 10)", () => {
    // Nine 10s, then (20, 20, 10) six times, then 20, 20, 20: 15 of each, median 15.
    // Runs: 9 below, then 2 above and 1 below six times, then 3 above → longest 9 > 8;
    // crossings 1 + 12 = 13 ≥ 10.
    const values = [...Array<number>(9).fill(10), ...Array.from({ length: 6 }, () => [20, 20, 10]).flat(), 20, 20, 20];
    const chart = runChart(values);
    expect(values).toHaveLength(30);
    expect(chart.median).toBe(15);
    expect(chart.longestRun).toBe(9);
    expect(chart.longestRunLimit).toBe(8);
    expect(chart.crossings).toBe(13);
    expect(chart.minimumCrossings).toBe(10);
    expect(chart.signals).toEqual([{ rule: "shift", indices: range(0, 8) }]);
  });

  it("skips points on the median: they neither extend nor break a run", () => {
    // 15 values, median (8th of the sorted values) = 6, and the four 6s are skipped: n = 11.
    // Useful sides: 5 5 5 5 below (indices 0, 2, 4, 6), then 9 10 9 10 9 8 7 above (8-14).
    // Limit round(log₂ 11 + 3) = round(6.46) = 6 < 7 → shift. One crossing < qbinom(0.05, 10,
    // 0.5) = 2 → crossings.
    const chart = runChart([5, 6, 5, 6, 5, 6, 5, 6, 9, 10, 9, 10, 9, 8, 7]);
    expect(chart.median).toBe(6);
    expect(chart.longestRun).toBe(7);
    expect(chart.longestRunLimit).toBe(6);
    expect(chart.crossings).toBe(1);
    expect(chart.minimumCrossings).toBe(2);
    expect(chart.signals).toEqual([
      { rule: "shift", indices: range(8, 14) },
      { rule: "crossings", indices: [0, 2, 4, 6, ...range(8, 14)] },
    ]);
  });

  it("has no signals for random-looking data, and NaN limits without useful points", () => {
    const calm = runChart([3, 7, 4, 8, 2, 6, 5, 9, 1, 7]);
    expect(calm.signals).toEqual([]);
    const flat = runChart([4, 4, 4]);
    expect(flat).toMatchObject({ median: 4, longestRun: 0, crossings: 0, signals: [] });
    expect(flat.longestRunLimit).toBeNaN();
    expect(runChart([]).median).toBeNaN();
    expect(() => runChart([1, Number.NaN])).toThrow(RangeError);
  });
});
