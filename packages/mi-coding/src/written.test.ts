import { describe, expect, it } from "vitest";
import { MITI_CODES } from "./miti.ts";
import {
  BEHAVIOURS,
  itemAsSession,
  loadWrittenHoldout,
  loadWrittenSessions,
  loadWrittenTraining,
  parseWrittenItems,
} from "./written.ts";

describe("Evoke's written MI set", async () => {
  const training = await loadWrittenTraining();
  const holdout = await loadWrittenHoldout();
  const sessions = await loadWrittenSessions();

  it("labels several hundred clinician and client utterances, every MITI code, every target behaviour", () => {
    for (const part of [training, holdout]) {
      const therapist = part.filter((item) => item.speaker === "therapist");
      const client = part.filter((item) => item.speaker === "client");
      expect(therapist.length).toBeGreaterThanOrEqual(300);
      expect(client.length).toBeGreaterThanOrEqual(200);
      for (const code of MITI_CODES)
        expect(therapist.filter((item) => item.miti.includes(code)).length, code).toBeGreaterThanOrEqual(15);
      for (const talk of ["change", "sustain", "neutral"])
        expect(client.filter((item) => item.talk === talk).length, talk).toBeGreaterThanOrEqual(50);
      for (const behaviour of BEHAVIOURS)
        expect(client.filter((item) => item.behaviour === behaviour).length, behaviour).toBeGreaterThanOrEqual(20);
    }
  });

  it("keeps the hold-out set and the session checks apart from training: no utterance appears in both", () => {
    // Stock phrases ("What do you make of that?") occur in independent writing; longer ones would not.
    const trained = new Set(training.map((item) => item.text.trim().toLowerCase()));
    const leaked = [
      ...holdout.map((item) => item.text),
      ...sessions.flatMap((session) => session.utterances.map((utterance) => utterance.text)),
    ].filter((text) => text.split(/\s+/).length > 8 && trained.has(text.trim().toLowerCase()));
    expect(leaked).toEqual([]);
    expect(new Set(training.map((item) => item.id)).size).toBe(training.length);
  });

  it("has MI-consistent and non-adherent sessions with the verdicts they should get", () => {
    expect(sessions.filter((session) => session.kind === "mi-consistent").length).toBeGreaterThanOrEqual(2);
    expect(sessions.filter((session) => session.kind === "non-adherent").length).toBeGreaterThanOrEqual(2);
    for (const session of sessions) {
      const expected = session.kind === "mi-consistent" ? "fair-or-better" : "below-fair";
      expect(session.expected).toEqual({ technical: expected, relational: expected });
    }
  });

  it("turns an item into a short session with only the item labelled", () => {
    const item = training.find((candidate) => candidate.speaker === "therapist");
    if (item === undefined) throw new Error("no therapist item");
    const session = itemAsSession(item);
    const labelled = session.utterances.filter(
      (utterance) => utterance.therapist !== undefined || utterance.client !== undefined,
    );
    expect(labelled).toHaveLength(1);
    expect(session.utterances).toHaveLength(item.before.length + 1 + item.after.length);
    expect(session.source).toBe("written");
  });

  it("names the line and field of a malformed item", () => {
    const good = JSON.stringify({
      id: "t-1",
      behaviour: "alcohol",
      before: [{ speaker: "client", text: "I like a drink." }],
      speaker: "therapist",
      text: "You enjoy it.",
      after: [{ speaker: "client", text: "Yeah." }],
      form: "reflection",
      reflection: "simple",
      miti: ["SR"],
    });
    expect(parseWrittenItems(good, "x.jsonl")).toHaveLength(1);
    const noSubtype = good.replace(',"reflection":"simple"', "");
    expect(() => parseWrittenItems(`${good}\n${noSubtype}`, "x.jsonl")).toThrow(/^x\.jsonl:2: reflection /);
    expect(() => parseWrittenItems(good.replace('"SR"', '"Lecture"'), "x.jsonl")).toThrow(/^x\.jsonl:1: miti\.0 /);
  });
});
