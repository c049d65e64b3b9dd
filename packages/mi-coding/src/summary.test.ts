import { describe, expect, it } from "vitest";
import type { CodedUtterance } from "./classify.ts";
import type { GlobalsModel } from "./globals.ts";
import type { MitiCode } from "./miti.ts";
import { SESSION_FEATURES } from "./session-features.ts";
import { summarise } from "./summary.ts";
import { THRESHOLD_PRESETS, verdict } from "./thresholds.ts";
import type { Utterance } from "./transcript.ts";

/** A globals model that rates every session `rating` (all weights zero). */
function flatGlobals(rating: number): GlobalsModel {
  const z = Math.log((rating - 1) / (5 - rating));
  const coefficients = { intercept: z, weights: [0, 0, 0, 0, 0] };
  const zeros = Object.fromEntries(SESSION_FEATURES.map((feature) => [feature, 0])) as GlobalsModel["means"];
  const ones = Object.fromEntries(SESSION_FEATURES.map((feature) => [feature, 1])) as GlobalsModel["scales"];
  return {
    means: zeros,
    scales: ones,
    coefficients: {
      cultivatingChangeTalk: coefficients,
      softeningSustainTalk: coefficients,
      partnership: coefficients,
      empathy: coefficients,
    },
  };
}

function coded(turns: [Utterance["speaker"], string, string, MitiCode[]][]) {
  const utterances = turns.map(([speaker, text]) => ({ speaker, text }));
  const codes: CodedUtterance[] = turns.map(([speaker, , category, codes], index) => ({
    index,
    speaker,
    category: category as CodedUtterance["category"],
    codes,
    confidence: 1,
    distribution: { [category]: 1 },
  }));
  return { utterances, codes };
}

describe("summarise", () => {
  const { utterances, codes } = coded([
    ["therapist", "What brings you in?", "question", ["Q"]],
    ["client", "I want to cut down.", "change", []],
    ["therapist", "You'd like to drink less.", "reflection", ["SR"]],
    ["client", "But I like a drink with my mates.", "sustain", []],
    ["therapist", "Part of you enjoys it and part of you is worried.", "reflection", ["CR"]],
    ["client", "Exactly, and I want to be around for my kids.", "change", []],
    ["therapist", "You've thought hard about this. What would a first step be?", "question", ["Q", "AF"]],
  ]);
  const summary = summarise(utterances, codes, flatGlobals(3.6), THRESHOLD_PRESETS.manual);

  it("computes R:Q, %CR and %CT from volley counts and client talk", () => {
    expect(summary.counts).toMatchObject({ question: 2, simpleReflection: 1, complexReflection: 1, affirm: 1 });
    expect(summary.volleys).toBe(4);
    expect(summary.reflectionToQuestion).toBe(1);
    expect(summary.percentComplexReflections).toBe(50);
    expect(summary.percentChangeTalk).toBe(66.7);
    expect(summary.totalMiAdherent).toBe(1);
    expect(summary.totalMiNonAdherent).toBe(0);
  });

  it("derives Technical and Relational from the globals and judges them against thresholds", () => {
    expect(summary.globals).toEqual({
      cultivatingChangeTalk: 3.6,
      softeningSustainTalk: 3.6,
      partnership: 3.6,
      empathy: 3.6,
    });
    expect(summary.technical).toBe(3.6);
    expect(summary.relational).toBe(3.6);
    expect(summary.verdicts).toEqual({
      technical: "fair",
      relational: "fair",
      percentComplexReflections: "good",
      reflectionToQuestion: "fair",
    });
  });

  it("gives Technical 3.4 a fair verdict under the manual and below fair under the Lyssn preset", () => {
    const lower = summarise(utterances, codes, flatGlobals(3.4), THRESHOLD_PRESETS.lyssn);
    expect(lower.verdicts.technical).toBe("below fair");
    expect(summarise(utterances, codes, flatGlobals(3.4), THRESHOLD_PRESETS.manual).verdicts.technical).toBe("fair");
  });

  it("reports ratios as null, not scored, when there is nothing to divide by", () => {
    const silent = coded([["therapist", "Hello.", "other", []]]);
    const empty = summarise(silent.utterances, silent.codes, flatGlobals(3), THRESHOLD_PRESETS.manual);
    expect(empty).toMatchObject({
      reflectionToQuestion: null,
      percentComplexReflections: null,
      percentChangeTalk: null,
    });
    expect(empty.verdicts.reflectionToQuestion).toBe("not scored");
  });
});

describe("verdict", () => {
  it("uses ≥ at each threshold", () => {
    expect(verdict(4, { fair: 3, good: 4 })).toBe("good");
    expect(verdict(3, { fair: 3, good: 4 })).toBe("fair");
    expect(verdict(2.99, { fair: 3, good: 4 })).toBe("below fair");
  });
});
