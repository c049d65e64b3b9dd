import { describe, expect, it } from "vitest";
import { mitiCodes } from "./classify.ts";
import { prepare } from "./features.ts";
import type { Utterance } from "./transcript.ts";

const session = (...turns: [Utterance["speaker"], string][]) =>
  prepare(turns.map(([speaker, text]) => ({ speaker, text })));

describe("mapping categories to MITI codes", () => {
  it("codes questions Q and reflections SR or CR", () => {
    const utterances = session(["therapist", "How are things?"]);
    expect(mitiCodes(utterances, 0, "question", undefined, undefined)).toEqual({ codes: ["Q"], main: "Q" });
    expect(mitiCodes(utterances, 0, "reflection", "simple", undefined).main).toBe("SR");
    expect(mitiCodes(utterances, 0, "reflection", "complex", undefined).main).toBe("CR");
  });

  it("codes information GI, the manual's default when unsure", () => {
    const utterances = session(["therapist", "The guideline is fourteen units a week."]);
    expect(mitiCodes(utterances, 0, "input", undefined, "information").main).toBe("GI");
    expect(mitiCodes(utterances, 0, "input", undefined, "options").main).toBe("GI");
  });

  it("codes advice Persuade, or Persuade with Permission after permission or a request for advice", () => {
    const advice = "I'd recommend cutting down to weekends.";
    expect(mitiCodes(session(["therapist", advice]), 0, "input", undefined, "advice").main).toBe("Persuade");
    expect(
      mitiCodes(
        session(["therapist", "Would it be okay if I shared an idea?"], ["client", "Sure."], ["therapist", advice]),
        2,
        "input",
        undefined,
        "advice",
      ).main,
    ).toBe("PersuadeWithPermission");
    expect(
      mitiCodes(
        session(["client", "What do you think I should do?"], ["therapist", advice]),
        1,
        "input",
        undefined,
        "advice",
      ).main,
    ).toBe("PersuadeWithPermission");
  });

  it("codes negotiation as Seek", () => {
    expect(
      mitiCodes(session(["therapist", "Shall we look at your form together?"]), 0, "input", undefined, "negotiation")
        .main,
    ).toBe("Seek");
  });

  it("adds detected codes, and lets Confront name the utterance", () => {
    const permission = mitiCodes(
      session(["therapist", "Is it okay if I share some information?"]),
      0,
      "question",
      undefined,
      undefined,
    );
    expect(permission).toEqual({ codes: ["Q", "Seek"], main: "Q" });
    const affirm = mitiCodes(
      session(["therapist", "You've worked really hard on this."]),
      0,
      "other",
      undefined,
      undefined,
    );
    expect(affirm).toEqual({ codes: ["AF"], main: "AF" });
    const confront = mitiCodes(
      session(["therapist", "Don't you realize you're killing yourself?"]),
      0,
      "question",
      undefined,
      undefined,
    );
    expect(confront.main).toBe("Confront");
  });

  it("leaves other talk uncoded", () => {
    expect(mitiCodes(session(["therapist", "Have a seat."]), 0, "other", undefined, undefined)).toEqual({
      codes: [],
      main: undefined,
    });
  });
});
