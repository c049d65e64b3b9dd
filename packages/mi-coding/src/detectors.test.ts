import { describe, expect, it } from "vitest";
import { asksForAdvice, asksPermission, isAffirm, isConfront, isEmphasizeAutonomy, isSeek } from "./detectors.ts";

// Examples written by the team from the MITI 4.2.1 manual's definitions, not from AnnoMI.

describe("Affirm: specific recognition of strengths or efforts", () => {
  it.each([
    "You've worked really hard to get here.",
    "It takes courage to talk about this.",
    "You should be proud of cutting down to two nights a week.",
    "You've managed to stay sober through a really stressful month.",
    "You clearly care a lot about your kids.",
  ])("affirms: %s", (text) => expect(isAffirm(text)).toBe(true));

  it.each(["Great.", "Good.", "Okay, that's fine.", "You drink at weekends.", "Thanks for coming."])(
    "generic praise or none is not Affirm: %s",
    (text) => expect(isAffirm(text)).toBe(false),
  );
});

describe("Seek: sharing power", () => {
  it.each([
    "Is it okay if I share some information about that?",
    "Would you mind if I told you what the guidelines say?",
    "What would you like to talk about today?",
    "How would you like to go about it?",
    "What do you think would work for you?",
  ])("seeks: %s", (text) => expect(isSeek(text)).toBe(true));

  it.each(["What did you drink last night?", "How often do you smoke?", "Let me tell you what you need to do."])(
    "an ordinary question or a directive is not Seek: %s",
    (text) => expect(isSeek(text)).toBe(false),
  );
});

describe("Emphasize Autonomy", () => {
  it.each([
    "It's up to you.",
    "Whatever you decide, I'll support you.",
    "You're the expert on your own life.",
    "Only you can decide that.",
  ])("emphasises autonomy: %s", (text) => expect(isEmphasizeAutonomy(text)).toBe(true));

  it.each(["You need to decide today.", "I think you should stop.", "It's your turn to talk."])(
    "not autonomy: %s",
    (text) => expect(isEmphasizeAutonomy(text)).toBe(false),
  );
});

describe("Confront", () => {
  it.each([
    "You're in denial about this.",
    "You have a problem and you need to face it.",
    "You're just making excuses.",
    "Don't you realize you're killing yourself?",
  ])("confronts: %s", (text) => expect(isConfront(text)).toBe(true));

  it.each([
    "You should cut down.",
    "That might be hard for you.",
    "Some people find it difficult to face.",
    "You're wondering whether it's a problem.",
  ])("advice or a reflection is not Confront: %s", (text) => expect(isConfront(text)).toBe(false));
});

describe("permission for persuasion", () => {
  it("recognises the clinician asking permission", () => {
    expect(asksPermission("Would it be okay if I shared some ideas?")).toBe(true);
    expect(asksPermission("What do you think?")).toBe(false);
  });

  it("recognises the client asking for advice, as a question", () => {
    expect(asksForAdvice("What do you think I should do?")).toBe(true);
    expect(asksForAdvice("Should I try the patches?")).toBe(true);
    expect(asksForAdvice("I should do something about it.")).toBe(false);
  });
});
