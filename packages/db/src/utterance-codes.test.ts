import { describe, expect, it } from "vitest";
import { compactUtteranceCodes, expandUtteranceCodes } from "./utterance-codes.ts";

describe("stored utterance codes", () => {
  const utterances = [
    { index: 0, speaker: "therapist", category: "question", miti: "Q", confidence: 0.91234 },
    { index: 1, speaker: "client", category: "change", confidence: 0.7 },
    { index: 2, speaker: "therapist", category: "reflection", reflection: "complex", miti: "CR", confidence: 0.55 },
    { index: 3, speaker: "therapist", category: "other", confidence: 0.4 },
  ] as const;

  it("keeps category, reflection, MITI code and confidence as one tuple per utterance", () => {
    expect(compactUtteranceCodes(utterances)).toEqual([
      ["question", null, "Q", 0.912],
      ["change", null, null, 0.7],
      ["reflection", "complex", "CR", 0.55],
      ["other", null, null, 0.4],
    ]);
  });

  it("expands back to the event's objects, index and speaker restored", () => {
    const roundTrip = expandUtteranceCodes(compactUtteranceCodes(utterances));
    expect(roundTrip).toEqual(
      utterances.map((utterance) => ({
        ...utterance,
        confidence: utterance.confidence === 0.91234 ? 0.912 : utterance.confidence,
      })),
    );
  });

  it("is a third of the size of the objects or less", () => {
    const many = Array.from({ length: 40 }, (_, i) => utterances[i % utterances.length] as (typeof utterances)[number]);
    expect(JSON.stringify(compactUtteranceCodes(many)).length).toBeLessThan(JSON.stringify(many).length / 2.5);
  });
});
