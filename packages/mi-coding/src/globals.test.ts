import { describe, expect, it } from "vitest";
import { anchorCaps, estimateGlobals, fitGlobals, GLOBAL_NAMES, GLOBAL_SIGNS, type GlobalsModel } from "./globals.ts";
import { SESSION_FEATURES, type SessionMeasures } from "./session-features.ts";

/** A session that reflects a lot, asks for the client's ideas and never confronts. */
const GOOD: SessionMeasures = {
  ...(Object.fromEntries(SESSION_FEATURES.map((feature) => [feature, 0])) as SessionMeasures),
  reflectionToQuestion: Math.log(2),
  complexShare: 0.6,
  reflectionRate: 0.6,
  questionRate: 0.3,
  informationRate: 0.05,
  adherentRate: 0.2,
  seekRate: 0.1,
  changeShare: 0.7,
  changeRate: 0.3,
  sustainRate: 0.1,
  therapistTalkShare: 0.4,
  therapistTurnLength: Math.log(15),
  meanReflectionProbability: 0.5,
  meanQuestionProbability: 0.3,
  meanInputProbability: 0.1,
  meanChangeProbability: 0.3,
  meanSustainProbability: 0.1,
  adviceInformationRate: 0.05,
  arguedSustainShare: 0.1,
  changeReflectedShare: 0.7,
  sustainTurns: 3,
};

/** Fitted on synthetic sessions where the anchors' signals separate good from poor MI. */
function fitted(): GlobalsModel {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const high = i % 3 !== 0;
    const jitter = ((i * 37) % 11) / 40;
    const measures: SessionMeasures = {
      ...GOOD,
      reflectionRate: high ? 0.5 + jitter : 0.15 + jitter / 2,
      complexShare: high ? 0.55 + jitter / 2 : 0.3 + jitter / 3,
      nonAdherentRate: high ? jitter / 10 : 0.2 + jitter,
      confrontRate: high ? 0 : 0.1 + jitter / 2,
      arguedSustainShare: high ? 0.1 : 0.5 + jitter / 2,
      changeReflectedShare: high ? 0.6 + jitter / 2 : 0.2,
      adviceInformationRate: high ? 0.1 : 0.35 + jitter,
    };
    return { measures, high };
  });
  return fitGlobals(rows);
}

describe("global ratings by the MITI anchors", () => {
  const model = fitted();

  it("rate an MI-consistent session well above the 3 a coder starts from", () => {
    const ratings = estimateGlobals(model, GOOD);
    for (const name of GLOBAL_NAMES) expect(ratings[name]).toBeGreaterThan(3.5);
  });

  it("cap Partnership and Empathy at 2 when a fifth of the volleys confront", () => {
    const confronting = { ...GOOD, confrontRate: 0.2, nonAdherentRate: 0.2 };
    const ratings = estimateGlobals(model, confronting);
    expect(ratings.partnership).toBeLessThanOrEqual(2);
    expect(ratings.empathy).toBeLessThanOrEqual(2);
    // Persuasion counts half: ordering in two volleys out of five has the same ceiling.
    expect(anchorCaps({ ...GOOD, confrontRate: 0, nonAdherentRate: 0.4 }).partnership).toBeCloseTo(2, 5);
  });

  it("never raise Partnership or Empathy when confrontation or persuasion grows", () => {
    let previous = estimateGlobals(model, GOOD);
    for (let step = 1; step <= 10; step += 1) {
      const rate = step * 0.03;
      const next = estimateGlobals(model, { ...GOOD, confrontRate: rate / 2, nonAdherentRate: rate });
      expect(next.partnership).toBeLessThanOrEqual(previous.partnership);
      expect(next.empathy).toBeLessThanOrEqual(previous.empathy);
      previous = next;
    }
  });

  it("lower Softening Sustain Talk when the clinician argues back at sustain talk, to 2 at half of it", () => {
    const turns = 4;
    const argued = (share: number) => ({
      ...GOOD,
      sustainTurns: turns,
      arguedSustainShare: (share * turns + 0.5) / (turns + 1),
    });
    expect(estimateGlobals(model, argued(0.5)).softeningSustainTalk).toBeLessThanOrEqual(2);
    expect(estimateGlobals(model, argued(0.25)).softeningSustainTalk).toBeLessThan(
      estimateGlobals(model, argued(0)).softeningSustainTalk,
    );
    // Without sustain talk there is nothing to argue with: no ceiling (the manual: can score high).
    expect(anchorCaps({ ...GOOD, sustainTurns: 0, arguedSustainShare: 1 }).softeningSustainTalk).toBe(5);
  });

  it("raise Cultivating Change Talk when change talk is reflected", () => {
    const low = estimateGlobals(model, { ...GOOD, changeReflectedShare: 0.1 });
    const high = estimateGlobals(model, { ...GOOD, changeReflectedShare: 0.9 });
    expect(high.cultivatingChangeTalk).toBeGreaterThan(low.cultivatingChangeTalk);
  });

  it("cap Partnership at 2.5 for the expert role: information and advice, few reflections, no Seek", () => {
    const expert = { ...GOOD, adviceInformationRate: 0.5, reflectionRate: 0.1, seekRate: 0 };
    expect(estimateGlobals(model, expert).partnership).toBeLessThanOrEqual(2.5);
    expect(anchorCaps({ ...expert, seekRate: 0.1 }).partnership).toBe(5);
  });

  it("keep every weight in its anchor's direction, even when the data pull the other way", () => {
    // Data in which more reflections go with low quality: the fit may not reverse the anchor.
    const perverse = Array.from({ length: 40 }, (_, i) => ({
      measures: { ...GOOD, reflectionRate: i % 2 === 0 ? 0.8 : 0.1 },
      high: i % 2 === 1,
    }));
    const bent = fitGlobals(perverse);
    for (const name of GLOBAL_NAMES) {
      const inputs = bent.inputs?.[name] ?? [];
      inputs.forEach((feature, j) => {
        const sign = GLOBAL_SIGNS[name][feature] ?? 0;
        expect((bent.coefficients[name].weights[j] ?? 0) * sign).toBeGreaterThanOrEqual(0);
      });
    }
  });
});
