import {
  coderAgreement,
  codingModelVersions,
  compareCohorts,
  fidelityByGroup,
  fidelityOutcomeAssociation,
  fidelitySeries,
  readinessChange,
  retentionByFidelityTier,
  retentionByProgramme,
  retentionMilestonesByProgramme,
  sessionFidelity,
} from "@evoke/analytics";
import { recordEvents } from "@evoke/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_OF, analyticsClinic } from "../support/analytics-clinic.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * Every analytic on real PostgreSQL, over the seven-client clinic in
 * test/support/analytics-clinic.ts, against figures worked out by hand from its table (and
 * SciPy 1.17 for the tests and regressions, quoted where used).
 */

describe("analytics on a clinic worked by hand", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("analytics");
    await database.db.transaction((tx) => recordEvents(tx, analyticsClinic()));
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("summarises fidelity per programme, the human rating counting where there is one", async () => {
    const [p1, p2] = await fidelityByGroup(database.db, { by: "programme" });
    // P1 technical: 2.0, 3.0 (human), 4.5, 3.0, 3.5 (human), 4.5.
    expect(p1).toMatchObject({ key: "P1", label: "Alcohol service", sessions: 6, humanRated: 2 });
    expect(p1?.scores.technical.mean.mean).toBeCloseTo(20.5 / 6, 10);
    expect(p1?.scores.technical.fair).toMatchObject({ count: 5, of: 6 });
    expect(p1?.scores.technical.fair.lower).toBeCloseTo(0.436497, 5);
    expect(p1?.scores.technical.fair.upper).toBeCloseTo(0.969947, 5);
    expect(p1?.scores.technical.good).toMatchObject({ count: 2, of: 6 });
    expect(p1?.scores.technical.good.lower).toBeCloseTo(0.096771, 5);
    expect(p1?.scores.technical.good.upper).toBeCloseTo(0.700007, 5);
    // Relational 3.0, 4.0, 4.5, 3.5, 4.0, 4.0: fair ≥ 3.5, good ≥ 4.
    expect(p1?.scores.relational.fair).toMatchObject({ count: 5, of: 6 });
    expect(p1?.scores.relational.good).toMatchObject({ count: 4, of: 6 });
    expect(p2).toMatchObject({ key: "P2", sessions: 2, humanRated: 0 });
    expect(p2?.scores.technical.mean.mean).toBeCloseTo(2.75, 10);
    // The Lyssn guide's Technical fair of 3.5 moves P1's 3.0 sessions below fair.
    const [lyssn] = await fidelityByGroup(database.db, {
      by: "programme",
      scope: { programmeIds: ["P1"] },
      thresholds: {
        technical: { fair: 3.5, good: 4 },
        relational: { fair: 3.5, good: 4 },
        percentComplexReflections: { fair: 0.4, good: 0.5 },
        reflectionToQuestion: { fair: 1, good: 2 },
      },
    });
    expect(lyssn?.scores.technical.fair).toMatchObject({ count: 3, of: 6 });
  });

  it("lists a therapist's sessions with their verdicts, newest first", async () => {
    const { total, sessions } = await sessionFidelity(database.db, { scope: { therapistIds: ["T2"] } });
    expect(total).toBe(3);
    expect(sessions.map((session) => [session.sessionId, session.kind, session.verdicts.technical])).toEqual([
      ["s4b", "automatic", "good"],
      ["s4a", "human", "fair"],
      ["s3", "automatic", "fair"],
    ]);
  });

  it("orders sessions by a score either way, ties newest first, and pages without overlap", async () => {
    const all = await sessionFidelity(database.db, { orderBy: "technical" });
    const ascending = all.sessions.map((session) => session.technical);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    const descending = await sessionFidelity(database.db, { orderBy: "technical", direction: "desc" });
    expect(descending.sessions.map((session) => session.technical)).toEqual([...ascending].sort((a, b) => b - a));
    const pages = [
      ...(await sessionFidelity(database.db, { orderBy: "therapist", limit: 2 })).sessions,
      ...(await sessionFidelity(database.db, { orderBy: "therapist", limit: 100, offset: 2 })).sessions,
    ];
    expect(new Set(pages.map((session) => session.sessionId)).size).toBe(all.total);
  });

  it("measures readiness change per client, counting but not averaging those measured once", async () => {
    const { summary, clients } = await readinessChange(database.db, {});
    expect(summary).toMatchObject({ measuredTwice: 5, measuredOnce: 1 });
    // Changes 1, 5, 0, 4, −1: mean 1.8, sd √6.7, t(0.975, 4) = 2.776445.
    expect(summary.change.mean).toBeCloseTo(1.8, 10);
    expect(summary.change.sd).toBeCloseTo(Math.sqrt(6.7), 10);
    expect(summary.change.lower).toBeCloseTo(1.8 - (2.776445 * Math.sqrt(6.7)) / Math.sqrt(5), 5);
    expect([summary.improved.count, summary.unchanged.count, summary.worsened.count]).toEqual([3, 1, 1]);
    expect(clients.map((client) => [client.clientId, client.change, client.technicalMean])).toEqual([
      ["c2", 5, 3.75],
      ["c4", 4, 4],
      ["c1", 1, 2],
      ["c3", 0, 3],
      ["c5", -1, 2.5],
    ]);
  });

  it("computes retention with censoring, by fidelity tier, with the log-rank test", async () => {
    const result = await retentionByFidelityTier(database.db, { asOf: AS_OF });
    const { overall } = result;
    expect(overall.episodes).toBe(7);
    expect(overall.sessionsAttended.mean).toBeCloseTo(11 / 7, 10);
    // Day 30: c6 too recent; of the other six only c1 had dropped out (day 20).
    // Day 60 and 90: c5's transfer at day 45 leaves its outcome unknown; c7 dropped out on day 90
    // itself, so was still retained at 90; c4 completed, which counts as retained.
    expect(overall.milestones.map(({ days, retained }) => [days, retained.count, retained.of])).toEqual([
      [30, 5, 6],
      [60, 3, 5],
      [90, 3, 5],
    ]);
    expect(overall.earlyDropout).toMatchObject({ count: 1, of: 6 });
    // Kaplan-Meier by hand: 16+, 20, 45+, 50, 70+, 90, 181+ → S = 5/6, then ×3/4, then ×1/2.
    const steps = overall.survival.points.filter((point) => point.events > 0);
    expect(steps.map((point) => [point.time, point.atRisk, point.survival])).toEqual([
      [20, 6, 5 / 6],
      [50, 4, 0.625],
      [90, 2, 0.3125],
    ]);
    expect(overall.survival.median).toBe(90);
    // Tiers on mean Technical and Relational: c1, c5 below fair; c2, c3, c6 fair; c4 good; c7 uncoded.
    expect(result.groups.map((group) => [group.group, group.episodes])).toEqual([
      ["below fair", 2],
      ["fair", 3],
      ["good", 1],
    ]);
    expect(result.groups.map((group) => group.milestones[2]?.retained.count)).toEqual([0, 1, 1]);
    // survdiff by hand (SciPy for the χ² tail): O = (1, 1, 0), E = (0.4, 1.0667, 0.5333), χ² = 1.8125 on 2 df.
    expect(result.logRank?.observed).toEqual([1, 1, 0]);
    expect(result.logRank?.chiSquare).toBeCloseTo(1.8125, 6);
    expect(result.logRank?.pValue).toBeCloseTo(0.404037, 5);
  });

  it("gives the overview's retention per programme as the full comparison does, without the curves", async () => {
    const full = await retentionByProgramme(database.db, { asOf: AS_OF });
    const milestones = await retentionMilestonesByProgramme(database.db, { asOf: AS_OF });
    expect(milestones.map((group) => group.group)).toEqual(["P1", "P2"]);
    expect(milestones).toEqual(full.groups.map(({ survival: _curve, ...rest }) => rest));
  });

  it("follows configurable definitions: inactivity as dropout", async () => {
    const result = await retentionByFidelityTier(database.db, {
      asOf: AS_OF,
      definitions: {
        milestoneDays: [90],
        earlyDropoutDays: 30,
        dropoutReasons: ["dropped_out"],
        completionReasons: ["completed"],
        // c2 (last seen day 100, 2026-04-11) and c6 (2026-06-18) are undischarged; 60 days
        // without a session makes c2 a dropout dated at its last session.
        inactivityDays: 60,
      },
    });
    const dropouts = result.overall.survival.points.filter((point) => point.events > 0).map((point) => point.time);
    expect(dropouts).toEqual([20, 50, 90, 100]);
  });

  it("relates fidelity to readiness change with a fitted line, its band, and a baseline adjustment", async () => {
    const association = await fidelityOutcomeAssociation(database.db, { outcome: { kind: "readinessChange" } });
    // x = mean Technical, y = change: (2.0, 1), (3.75, 5), (3.0, 0), (4.0, 4), (2.5, −1).
    // SciPy linregress: slope 2.428571, intercept −5.607143, r 0.784987, p 0.115745.
    expect(association.n).toBe(5);
    expect(association.fit?.slope).toBeCloseTo(2.428571, 5);
    expect(association.fit?.intercept).toBeCloseTo(-5.607143, 5);
    expect(association.fit?.slopePValue).toBeCloseTo(0.115745, 5);
    expect(association.correlation?.r).toBeCloseTo(0.784987, 5);
    expect(association.fit?.band).toHaveLength(25);
    expect(association.fit?.band[0]?.x).toBe(2);
    expect(association.fit?.band.at(-1)?.x).toBe(4);
    // With baseline readiness (3, 2, 5, 4, 6) in the model: NumPy least squares gives the
    // fidelity slope 1.883495 (se 0.385426, p 0.039416).
    expect(association.adjusted?.fidelity.estimate).toBeCloseTo(1.883495, 5);
    expect(association.adjusted?.fidelity.standardError).toBeCloseTo(0.385426, 5);
    expect(association.adjusted?.fidelity.pValue).toBeCloseTo(0.039416, 5);
    expect(association.adjusted?.baseline.estimate).toBeCloseTo(-1.017476, 5);
    expect(association.points).toHaveLength(5);
    expect(association.note).toMatch(/^Association, not effect/);

    const retained = await fidelityOutcomeAssociation(database.db, {
      outcome: { kind: "retained", days: 90 },
      asOf: AS_OF,
    });
    // Observable at 90 and coded: c1 (2.0, 0), c2 (3.75, 1), c3 (3.0, 0), c4 (4.0, 1).
    expect(retained.points.map((point) => [point.x, point.y]).sort()).toEqual([
      [2, 0],
      [3, 0],
      [3.75, 1],
      [4, 1],
    ]);
  });

  it("compares cohorts with intervals, tests and effect sizes", async () => {
    const comparison = await compareCohorts(database.db, {
      cohorts: [
        { name: "GP referrals", filter: { referralSources: ["gp"] } },
        { name: "Self referrals", filter: { referralSources: ["self"] } },
      ],
      asOf: AS_OF,
    });
    const [gp, self] = comparison.cohorts;
    expect([gp?.episodes, self?.episodes]).toEqual([3, 4]);
    expect(gp?.fidelity.clientMean.mean).toBeCloseTo(2.75, 10);
    expect(self?.fidelity.clientMean.mean).toBeCloseTo(10 / 3, 10);
    expect(self?.overlapWithReference).toBe(0);
    // Day 90: GP c1 no, c2 yes (c5 unknown); self c3 no, c4 yes, c7 yes (c6 too recent).
    expect(gp?.retained).toMatchObject({ count: 1, of: 2 });
    expect(self?.retained).toMatchObject({ count: 2, of: 3 });
    const test = (metric: string, name: string) =>
      comparison.tests.find((candidate) => candidate.metric === metric && candidate.test === name);
    // SciPy ttest_ind(self, gp, equal_var=False): t 0.943880, p 0.407270.
    expect(test("fidelity (client mean)", "Welch t")?.difference).toBeCloseTo(7 / 12, 10);
    expect(test("fidelity (client mean)", "Welch t")?.pValue).toBeCloseTo(0.40727, 5);
    expect(test("retained", "difference in proportions (Newcombe)")?.difference).toBeCloseTo(2 / 3 - 1 / 2, 10);
    // SciPy mannwhitneyu([0, 4], [1, 5, −1], asymptotic, continuity): U 3, p 1.
    expect(test("readiness change", "Mann-Whitney U")?.pValue).toBeCloseTo(1, 10);
    expect(test("readiness change", "Welch t")?.pValue).toBeCloseTo(0.910133, 5);
    expect(test("time to dropout", "log-rank")).toBeDefined();

    const overlapping = await compareCohorts(database.db, {
      cohorts: [
        { name: "Everyone", filter: {} },
        { name: "Programme 1", filter: { programmeIds: ["P1"] } },
      ],
      asOf: AS_OF,
    });
    expect(overlapping.cohorts[1]?.overlapWithReference).toBe(4);
    expect(overlapping.notes.some((note) => note.includes("also in Everyone"))).toBe(true);
  });

  it("charts monthly fidelity as XmR and P charts with hand-computed limits", async () => {
    const xmr = await fidelitySeries(database.db, {
      interval: "month",
      measure: { kind: "mean", score: "technical" },
    });
    expect(xmr.points.map((point) => [point.period, point.sessions, point.value])).toEqual([
      ["2026-01-01", 2, 2.5],
      ["2026-02-01", 2, 3.75],
      ["2026-03-01", 2, 4],
      ["2026-04-01", 1, 2.5],
      ["2026-06-01", 1, 3],
    ]);
    // X̄ = 3.15; moving ranges 1.25, 0.25, 1.5, 0.5 → MR̄ = 0.875; limits 3.15 ± 2.66 × 0.875.
    expect(xmr.centre).toBeCloseTo(3.15, 10);
    expect(xmr.points[0]?.upper).toBeCloseTo(5.4775, 10);
    expect(xmr.points[0]?.lower).toBeCloseTo(0.8225, 10);
    expect(xmr.movingRange?.upperLimit).toBeCloseTo(3.267 * 0.875, 10);
    expect(xmr.signals).toEqual([]);

    const p = await fidelitySeries(database.db, {
      interval: "month",
      measure: { kind: "share", score: "technical", level: "good" },
    });
    // Good (≥ 4): 0/2, 1/2, 1/2, 0/1, 0/1 → p̄ = 2/8; with n = 2 the limits 0.25 ± 3√(0.25·0.75/2) clip to [0, 1].
    expect(p.chart).toBe("p");
    expect(p.centre).toBeCloseTo(0.25, 10);
    expect(p.points.map((point) => point.value)).toEqual([0, 0.5, 0.5, 0, 0]);
    expect([p.points[0]?.lower, p.points[0]?.upper]).toEqual([0, 1]);
  });

  it("measures how far the model agrees with the human coder", async () => {
    const agreement = await coderAgreement(database.db);
    expect(agreement.sessions).toBe(2);
    expect(agreement.modelVersions).toEqual(["model-a"]);
    const technical = agreement.measures.find((measure) => measure.measure === "technical");
    // Model (3.5, 4.0) against human (3.0, 3.5): ICC(2,1) = 0.5 (by the ANOVA formula), bias +0.5.
    expect(technical).toMatchObject({ n: 2, interpretation: "fair" });
    expect(technical?.icc).toBeCloseTo(0.5, 10);
    expect(technical?.meanDifference?.mean).toBeCloseTo(0.5, 10);
    // McGraw & Wong's interval on two sessions (v = 1; SciPy's F quantiles): 0.001541 to 0.998459.
    expect(technical?.iccInterval?.lower).toBeCloseTo(0.0015413331, 8);
    expect(technical?.iccInterval?.upper).toBeCloseTo(0.9984586669, 8);
    // Questions per 20 minutes: the model heard 10 in 40 minutes (5), the coder 6 in 20.
    const questions = agreement.measures.find((measure) => measure.measure === "question");
    expect(questions?.n).toBe(2);
    expect(questions?.meanDifference?.mean).toBeCloseTo(-1, 10);
    // Technical bands: fair/fair agree, good/fair do not; Relational good/good both.
    expect(agreement.verdictAgreement.technical).toMatchObject({ count: 1, of: 2 });
    expect(agreement.verdictAgreement.relational).toMatchObject({ count: 2, of: 2 });
  });

  it("lists the model versions that coded the sessions in scope", async () => {
    // model-a coded the eight coded sessions, two of them rated by a human; last c6's on 2026-06-18.
    expect(await codingModelVersions(database.db)).toEqual([
      {
        modelVersion: "model-a",
        codings: 8,
        sessions: 8,
        humanRatedSessions: 2,
        lastCodedAt: "2026-06-18T11:00:00.000Z",
      },
    ]);
    const p2 = await codingModelVersions(database.db, { scope: { programmeIds: ["P2"] } });
    expect(p2).toMatchObject([{ modelVersion: "model-a", sessions: 2, humanRatedSessions: 0 }]);
    expect(await codingModelVersions(database.db, { scope: { from: new Date("2026-07-01T00:00:00Z") } })).toEqual([]);
  });
});
