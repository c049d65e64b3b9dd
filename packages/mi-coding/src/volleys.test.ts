import { describe, expect, it } from "vitest";
import type { MitiCode } from "./miti.ts";
import type { Speaker } from "./transcript.ts";
import { countBehaviours, isBackchannel, volleysOf } from "./volleys.ts";

/** A hand-made transcript: [speaker, text, codes of the therapist turn]. */
type Turn = [Speaker, string, MitiCode[]?];

function count(turns: Turn[]) {
  const utterances = turns.map(([speaker, text]) => ({ speaker, text }));
  return countBehaviours(utterances, (index) => turns[index]?.[2] ?? []);
}

describe("volleys", () => {
  it("are runs of therapist speech between substantive client turns", () => {
    const turns = [
      { speaker: "therapist", text: "Hi." },
      { speaker: "therapist", text: "What brings you in?" },
      { speaker: "client", text: "My drinking, I suppose." },
      { speaker: "therapist", text: "Your drinking." },
    ] as const;
    expect(volleysOf(turns)).toEqual([[0, 1], [3]]);
  });

  it("are not ended by a minimal backchannel", () => {
    const turns = [
      { speaker: "therapist", text: "So you drink mostly at weekends" },
      { speaker: "client", text: "Mm-hmm." },
      { speaker: "therapist", text: "and it helps you unwind." },
      { speaker: "client", text: "Yeah, it really does, after a long week." },
    ] as const;
    expect(volleysOf(turns)).toEqual([[0, 2]]);
  });

  it.each([
    ["Yeah.", true],
    ["Mm-hmm", true],
    ["Okay, sure.", true],
    ["Right, yeah, okay", true],
    ["Yeah, I guess so.", false],
    ["No.", false],
    ["I know.", false],
  ])("%j is a backchannel: %s", (text, expected) => {
    expect(isBackchannel(text)).toBe(expected);
  });
});

describe("MITI 4.2.1 counts per volley", () => {
  it("counts a Question at most once per volley", () => {
    const { counts } = count([
      ["therapist", "What happened? How did it start?", ["Q"]],
      ["therapist", "And what did you do then?", ["Q"]],
      ["client", "I went to the pub."],
      ["therapist", "Who was there?", ["Q"]],
    ]);
    expect(counts.question).toBe(2);
  });

  it("gives a volley one reflection code, CR if any reflection in it is complex", () => {
    const { counts } = count([
      ["therapist", "You drink at weekends.", ["SR"]],
      ["therapist", "And part of you wonders whether it's become a habit.", ["CR"]],
      ["client", "Maybe it has."],
      ["therapist", "It might have.", ["SR"]],
      ["therapist", "Just at weekends.", ["SR"]],
    ]);
    expect(counts).toMatchObject({ complexReflection: 1, simpleReflection: 1 });
  });

  it("counts each other code once per volley, and several codes in one volley", () => {
    const { counts, volleys } = count([
      ["therapist", "You've worked hard at this.", ["AF"]],
      ["therapist", "You really have.", ["AF"]],
      ["therapist", "Is it okay if I share what other people have tried?", ["Q", "Seek"]],
      ["client", "Sure, go ahead, I'd like to hear it."],
      ["therapist", "Some people find patches help. It's up to you.", ["GI", "EA"]],
    ]);
    expect(volleys).toBe(2);
    expect(counts).toMatchObject({
      affirm: 1,
      question: 1,
      seekingCollaboration: 1,
      givingInformation: 1,
      emphasizingAutonomy: 1,
    });
  });

  it("keeps Persuade and Confront apart from the MI-adherent codes", () => {
    const { counts } = count([
      ["therapist", "You need to stop drinking.", ["Persuade"]],
      ["client", "I don't think I do."],
      ["therapist", "You're in denial.", ["Confront"]],
    ]);
    expect(counts).toMatchObject({ persuade: 1, confront: 1, affirm: 0 });
  });

  it("counts nothing in a session without therapist speech", () => {
    expect(count([["client", "Hello?"]])).toEqual({ counts: expect.objectContaining({ question: 0 }), volleys: 0 });
  });
});
