import { describe, expect, it } from "vitest";
import { kaplanMeier, logRankTest, type SurvivalObservation, survivalAt } from "./survival.ts";

/** Parses "6 6 6 6+ 7" into observations; "+" marks a censored time. */
function observations(times: string): SurvivalObservation[] {
  return times
    .trim()
    .split(/\s+/)
    .map((token) => ({ time: Number.parseFloat(token), event: !token.endsWith("+") }));
}

/**
 * Parses "6*3 6+ 7" into observations with counts: "*c" gives the count of identical subjects
 * (as SQL's GROUP BY time, event would), "+" marks a censored time.
 */
function counted(times: string): SurvivalObservation[] {
  return times
    .trim()
    .split(/\s+/)
    .map((token) => {
      const [time = "", count] = token.split("*");
      return {
        time: Number.parseFloat(time),
        event: !time.endsWith("+"),
        ...(count === undefined ? {} : { count: Number.parseInt(count, 10) }),
      };
    });
}

/** Repeats each observation `count` times, without counts: the raw rows the counts stand for. */
function expand(grouped: readonly SurvivalObservation[]): SurvivalObservation[] {
  return grouped.flatMap(({ time, event, count = 1 }) => Array.from({ length: count }, () => ({ time, event })));
}

// Freireich et al. (1963) remission times in weeks for acute leukaemia, as tabulated by
// Gehan (1965): 6-mercaptopurine versus placebo.
const sixMp = observations("6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+");
const placebo = observations("1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23");
// The same two groups with one observation per (time, event) and its count.
const sixMpCounted = counted("6*3 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+*2 34+ 35+");
const placeboCounted = counted("1*2 2*2 3 4*2 5*2 8*4 11*2 12*2 15 17 22 23");

// A larger made-up cohort in grouped form, deliberately unsorted, with a (time, event) pair
// split over two rows (5 and 5 again) and ties between events and censorings.
const cohortA = counted("5*40 1*12 3+*7 3*9 8+*30 5*2 12*5 12+*11 0.5+*3 20+*6");
const cohortB = counted("3*25 1*4 8*14 5+*9 12*3 2*6 20+*20");
const cohortC = counted("8*7 2+*5 12*12 1*1 3*3 20+*2 5*8");

describe("kaplanMeier", () => {
  it("reproduces the 6-MP curve with log(−log) 95% limits", () => {
    const curve = kaplanMeier(sixMp);
    const eventRows = curve.points
      .filter((point) => point.events > 0)
      .map(({ time, atRisk, events, survival, lower, upper }) => [time, atRisk, events, survival, lower, upper]);
    // Survival: the textbook values (e.g. Kleinbaum & Klein, Survival Analysis, ch. 2). Limits:
    // Stata's `sts list` (log(−log) transform), which also match R's
    // survfit(conf.type = "log-log"). E.g. at t = 6: S = 18/21 = 0.8571; Greenwood
    // Σ d/(n(n − d)) = 3/(21·18) = 0.0079365; se(log(−log S)) = √0.0079365/|ln 0.8571| = 0.57792;
    // bounds 0.8571^exp(±1.96·0.57792) = 0.8571^3.1040 = 0.6197 and 0.8571^0.32216 = 0.9516.
    const expected = [
      [6, 21, 3, 0.8571, 0.6197, 0.9516],
      [7, 17, 1, 0.8067, 0.5631, 0.9228],
      [10, 15, 1, 0.7529, 0.5032, 0.8894],
      [13, 12, 1, 0.6902, 0.4316, 0.8491],
      [16, 11, 1, 0.6275, 0.3675, 0.8049],
      [22, 7, 1, 0.5378, 0.2678, 0.7468],
      [23, 6, 1, 0.4482, 0.1881, 0.6801],
    ];
    expect(eventRows).toEqual(expected.map((row) => row.map((value) => expect.closeTo(value, 4))));
    expect(curve.median).toBe(23);
  });

  it("lists time 0 and every event or censoring time, with counts at risk", () => {
    const curve = kaplanMeier(sixMp);
    expect(curve.points.map((point) => point.time)).toEqual([
      0, 6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35,
    ]);
    expect(curve.points[0]).toEqual({ time: 0, atRisk: 21, events: 0, censored: 0, survival: 1, lower: 1, upper: 1 });
    // At 6: 3 events and 1 censored; censored subjects count as at risk at that time.
    expect(curve.points[1]).toMatchObject({ time: 6, atRisk: 21, events: 3, censored: 1 });
    expect(curve.points[2]).toMatchObject({ time: 7, atRisk: 17 });
    // At 32 two are censored: the curve is flat and at risk falls by 2.
    expect(curve.points.slice(-3).map((point) => [point.time, point.atRisk, point.censored])).toEqual([
      [32, 4, 2],
      [34, 2, 1],
      [35, 1, 1],
    ]);
  });

  it("gives the placebo median of 8 weeks and reaches 0 when the last subject has the event", () => {
    const curve = kaplanMeier(placebo);
    expect(curve.median).toBe(8);
    // 21 at risk, 2 events at week 1: 19/21.
    expect(curve.points[1]).toMatchObject({ time: 1, atRisk: 21, events: 2, survival: expect.closeTo(19 / 21, 12) });
    expect(curve.points.at(-1)).toMatchObject({ time: 23, atRisk: 1, survival: 0, lower: 0, upper: 0 });
  });

  it("takes the median where survival first reaches exactly 0.5", () => {
    // 4 subjects: S = 3/4 at 1, then 3/4 · 2/3 = 1/2 at 2 (round-off must not hide it).
    expect(kaplanMeier(observations("1 2 3 4")).median).toBe(2);
  });

  it("handles all-censored data, events at time 0, wider confidence and empty input", () => {
    const censoredOnly = kaplanMeier(observations("3+ 5+ 5+"));
    expect(censoredOnly.points.map((point) => point.survival)).toEqual([1, 1, 1]);
    expect(censoredOnly.median).toBeNull();

    const eventAtZero = kaplanMeier(observations("0 2 4+ 5"));
    expect(eventAtZero.points[0]).toMatchObject({ time: 0, atRisk: 4, events: 1, survival: 0.75 });

    const at90 = kaplanMeier(sixMp, 0.9).points[1];
    const at95 = kaplanMeier(sixMp).points[1];
    expect(at90?.lower).toBeGreaterThan(at95?.lower ?? 1);

    expect(kaplanMeier([])).toEqual({ points: [], median: null });
  });

  it("rejects negative or non-finite times", () => {
    expect(() => kaplanMeier([{ time: -1, event: true }])).toThrow("index 0");
    expect(() => kaplanMeier([{ time: Number.NaN, event: true }])).toThrow(RangeError);
  });

  it("reproduces the published 6-MP table from counted observations", () => {
    // Same rows as the first test (Kleinbaum & Klein; Stata's sts list), from 18 grouped rows
    // instead of 21 subjects: 3 events at 6 weeks (n = 21) give 18/21, and so on.
    const curve = kaplanMeier(sixMpCounted);
    const eventRows = curve.points
      .filter((point) => point.events > 0)
      .map(({ time, atRisk, events, survival, lower, upper }) => [time, atRisk, events, survival, lower, upper]);
    expect(eventRows.slice(0, 2)).toEqual(
      [
        [6, 21, 3, 0.8571, 0.6197, 0.9516],
        [7, 17, 1, 0.8067, 0.5631, 0.9228],
      ].map((row) => row.map((value) => expect.closeTo(value, 4))),
    );
    expect(eventRows.at(-1)).toEqual([23, 6, 1, 0.4482, 0.1881, 0.6801].map((value) => expect.closeTo(value, 4)));
    expect(curve.median).toBe(23);
    expect(curve.points.at(-3)).toMatchObject({ time: 32, atRisk: 4, censored: 2 });
  });

  it("gives exactly the curve of the expanded observations", () => {
    expect(kaplanMeier(sixMpCounted)).toEqual(kaplanMeier(sixMp));
    expect(kaplanMeier(placeboCounted)).toEqual(kaplanMeier(placebo));
    expect(kaplanMeier(cohortA)).toEqual(kaplanMeier(expand(cohortA)));
    expect(kaplanMeier(cohortA, 0.9)).toEqual(kaplanMeier(expand(cohortA), 0.9));
    // 5 appears in two rows of cohortA (40 + 2 events); at 0.5 only censorings (a flat step).
    const curve = kaplanMeier(cohortA);
    expect(curve.points[0]).toMatchObject({ time: 0, atRisk: 125, events: 0, survival: 1 });
    expect(curve.points[1]).toMatchObject({ time: 0.5, atRisk: 125, events: 0, censored: 3, survival: 1 });
    expect(curve.points.find((point) => point.time === 5)).toMatchObject({ atRisk: 94, events: 42, censored: 0 });
    // S(1) = 110/122, S(3) = S(1)·(101/110) = 101/122, S(5) = S(3)·(52/94) = 0.457970 (as
    // scipy.stats.ecdf on the expanded subjects).
    expect(curve.points[2]?.survival).toBeCloseTo(110 / 122, 12);
    expect(curve.points[3]?.survival).toBeCloseTo(101 / 122, 12);
    expect(curve.points[4]?.survival).toBeCloseTo((101 / 122) * (52 / 94), 12);
    expect(curve.points[4]?.survival).toBeCloseTo(0.45797, 5);
    expect(curve.median).toBe(5);
  });

  it("rejects counts that are not whole numbers ≥ 1, naming the index", () => {
    expect(() => kaplanMeier([{ time: 1, event: true, count: 0 }])).toThrow("index 0");
    expect(() =>
      kaplanMeier([
        { time: 1, event: true },
        { time: 2, event: true, count: 1.5 },
      ]),
    ).toThrow("index 1");
    expect(() => kaplanMeier([{ time: 1, event: true, count: -2 }])).toThrow(RangeError);
    expect(() => kaplanMeier([{ time: 1, event: true, count: Number.NaN }])).toThrow(RangeError);
    expect(() => logRankTest([sixMp, [{ time: 1, event: true, count: 0 }]])).toThrow("group 1");
  });
});

describe("survivalAt", () => {
  it("reads the right-continuous step function", () => {
    const curve = kaplanMeier(sixMp);
    expect(survivalAt(curve, -1)).toBe(1);
    expect(survivalAt(curve, 0)).toBe(1);
    expect(survivalAt(curve, 5.9)).toBe(1);
    expect(survivalAt(curve, 6)).toBeCloseTo(0.8571, 4);
    expect(survivalAt(curve, 12.5)).toBeCloseTo(0.7529, 4);
    expect(survivalAt(curve, 23)).toBeCloseTo(0.4482, 4);
    expect(survivalAt(curve, 100)).toBeCloseTo(0.4482, 4);
    expect(survivalAt({ points: [] }, 3)).toBeNaN();
  });
});

describe("logRankTest", () => {
  it("reproduces the 6-MP versus placebo test: χ² = 16.79, df 1, p = 4.2e-5", () => {
    // R: survdiff(Surv(time, status) ~ group) gives Chisq = 16.8 on 1 df, observed 9 and 21,
    // expected 19.25 and 10.75.
    const result = logRankTest([sixMp, placebo]);
    expect(result.chiSquare).toBeCloseTo(16.79, 2);
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.pValue).toBeCloseTo(4.17e-5, 6);
    expect(result.observed).toEqual([9, 21]);
    expect(result.expected).toEqual([expect.closeTo(19.25, 2), expect.closeTo(10.75, 2)]);
  });

  it("computes the k-group statistic from the covariance matrix (3 groups, by hand)", () => {
    const a = observations("1 2");
    const b = observations("1 3+");
    const c = observations("2 3");
    // Event times 1, 2, 3 (b's censoring at 3 is at risk at 3). Per time: at risk (a, b, c),
    // events d of n, E += d·nᵢ/n, V += d(n − d)/(n − 1)·(nᵢ/n)(δᵢⱼ − nⱼ/n):
    //   t = 1: (2, 2, 2), 2 of 6: E = (2/3, 2/3, 2/3); factor 8/5: Vaa = Vbb = 16/45, Vab = −8/45
    //   t = 2: (1, 1, 2), 2 of 4: E = (1/2, 1/2, 1);   factor 4/3: Vaa = Vbb = 1/4,   Vab = −1/12
    //   t = 3: (0, 1, 1), 1 of 2: E = (0, 1/2, 1/2);   factor 1:   Vbb = 1/4
    // O = (2, 1, 2), E = (7/6, 5/3, 13/6), O − E = (5/6, −2/3, −1/6).
    // Dropping c: V = (1/180)·[[109, −47], [−47, 154]], det = 14577/180², so
    // χ² = 180·(154·(5/6)² + 2·47·(5/6)(−2/3) + 109·(2/3)²)/14577 = 18570/14577 ≈ 1.27392,
    // and with 2 df, p = exp(−χ²/2) ≈ 0.52890.
    const result = logRankTest([a, b, c]);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.chiSquare).toBeCloseTo(18570 / 14577, 10);
    expect(result.pValue).toBeCloseTo(Math.exp(-18570 / 14577 / 2), 10);
    expect(result.observed).toEqual([2, 1, 2]);
    expect(result.expected).toEqual([7 / 6, 5 / 3, 13 / 6].map((value) => expect.closeTo(value, 12)));
    // The statistic does not depend on which group is left out of the inversion.
    expect(logRankTest([c, a, b]).chiSquare).toBeCloseTo(18570 / 14577, 10);
    expect(logRankTest([b, c, a]).chiSquare).toBeCloseTo(18570 / 14577, 10);
  });

  it("is 0 for identical groups", () => {
    const identical = logRankTest([sixMp, sixMp, sixMp]);
    expect(identical.chiSquare).toBeCloseTo(0, 12);
    expect(identical.degreesOfFreedom).toBe(2);
    expect(identical.pValue).toBeCloseTo(1, 12);
  });

  it("reduces to the 2-group test of the merged groups when two groups are identical", () => {
    // With groups 2 and 3 identical, O − E is the same for both, so every contrast between them
    // is 0 and the quadratic form only sees group 1 against groups 2 + 3 together: the same χ²
    // as the 2-group test against the pooled group, on 2 df instead of 1.
    const threeGroups = logRankTest([sixMp, placebo, placebo]);
    const merged = logRankTest([sixMp, [...placebo, ...placebo]]);
    expect(threeGroups.degreesOfFreedom).toBe(2);
    expect(merged.degreesOfFreedom).toBe(1);
    expect(threeGroups.chiSquare).toBeCloseTo(merged.chiSquare, 9);
    expect(threeGroups.chiSquare).toBeCloseTo(20.521, 3);
    expect(threeGroups.pValue).toBeCloseTo(Math.exp(-threeGroups.chiSquare / 2), 12);
    expect(threeGroups.observed).toEqual([9, 21, 21]);
  });

  it("leaves out groups with no expected events, like R's survdiff", () => {
    // All censored before the first event: no information, so the df falls to 1 and the
    // statistic equals the 2-group one.
    const early = observations("0.5+ 0.5+");
    const result = logRankTest([sixMp, early, placebo]);
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.chiSquare).toBeCloseTo(logRankTest([sixMp, placebo]).chiSquare, 10);
    expect(result.expected[1]).toBe(0);
    expect(logRankTest([sixMp, []]).degreesOfFreedom).toBe(0);
    expect(logRankTest([sixMp, []]).pValue).toBeNaN();
  });

  it("gives the published 6-MP versus placebo test from counted observations", () => {
    const result = logRankTest([sixMpCounted, placeboCounted]);
    expect(result).toEqual(logRankTest([sixMp, placebo]));
    expect(result.chiSquare).toBeCloseTo(16.79, 2);
    expect(result.observed).toEqual([9, 21]);
  });

  it("gives exactly the 2- and 3-group tests of the expanded observations", () => {
    const two = logRankTest([cohortA, cohortB]);
    expect(two).toEqual(logRankTest([expand(cohortA), expand(cohortB)]));
    expect(two.observed).toEqual([68, 52]);
    expect(two.degreesOfFreedom).toBe(1);
    // SciPy on the 217 expanded subjects: scipy.stats.logrank gives z = −1.2801882, so
    // χ² = z² = 1.6388819, p = 0.2004789.
    expect(two.chiSquare).toBeCloseTo(1.6388819415, 9);
    expect(two.pValue).toBeCloseTo(0.2004789392, 9);
    const three = logRankTest([cohortA, cohortB, cohortC]);
    expect(three).toEqual(logRankTest([expand(cohortA), expand(cohortB), expand(cohortC)]));
    expect(three.observed).toEqual([68, 52, 31]);
    expect(three.degreesOfFreedom).toBe(2);
    // Counted and uncounted observations mix freely.
    expect(logRankTest([cohortA, expand(cohortB), cohortC])).toEqual(three);
  });

  it("gives NaN when the covariance is singular and rejects fewer than 2 groups", () => {
    // One subject per group, both with the event at time 1: the variance is 0.
    const result = logRankTest([observations("1"), observations("1")]);
    expect(result.chiSquare).toBeNaN();
    expect(result.pValue).toBeNaN();
    expect(() => logRankTest([sixMp])).toThrow("at least 2 groups");
  });
});
