import { describe, expect, it } from "vitest";
import { contentWords, tokenize } from "./tokenize.ts";

describe("tokenize", () => {
  it("lower-cases, keeps apostrophes and question marks, collapses stutters", () => {
    expect(tokenize("I-I don’t know… do you?")).toEqual(["i", "don't", "know", "do", "you", "?"]);
    expect(tokenize("We-we tried, uh, mm-hmm")).toEqual(["we", "tried", "uh", "mm-hmm"]);
  });

  it("finds the content words a reflection might echo", () => {
    expect([...contentWords(tokenize("So you're worried about your drinking?"))]).toEqual(["worried", "drinking"]);
  });
});
