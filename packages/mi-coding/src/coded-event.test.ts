import { exampleEvent, validateEvent, validateEvokeEvent } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODING_SOURCE, codedEventId, codeTranscript } from "./coded-event.ts";
import { type Coder, loadCoder } from "./coder.ts";
import { THRESHOLD_PRESETS } from "./thresholds.ts";

function transcriptEvent() {
  const result = validateEvent(exampleEvent("evoke.transcript.submitted"));
  if (!result.ok || result.event.type !== "evoke.transcript.submitted") throw new Error("example invalid");
  return result.event;
}

describe("codeTranscript", () => {
  let coder: Coder;
  beforeAll(async () => {
    coder = await loadCoder();
  }, 300_000);
  afterAll(async () => {
    await coder.close();
  });

  it("turns a transcript event into a valid evoke.session.coded event", async () => {
    const transcript = transcriptEvent();
    const coded = await codeTranscript(
      transcript,
      { coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" },
      new Date("2026-03-14T10:05:00Z"),
    );
    const session = await coder.code({
      sessionId: transcript.data.sessionId,
      utterances: transcript.data.utterances,
    });
    expect(coded).toMatchObject({
      source: CODING_SOURCE,
      type: "evoke.session.coded",
      time: transcript.time,
      subject: transcript.data.clientId,
      data: {
        sessionId: transcript.data.sessionId,
        transcript: { source: transcript.source, id: transcript.id },
        modelVersion: coder.model.version,
        codedAt: "2026-03-14T10:05:00.000Z",
        utterances: session.utterances,
        summary: session.summary,
      },
    });
    const { extensions: _none, ...attributes } = coded;
    expect(validateEvokeEvent(attributes)).toMatchObject({ ok: true });
  });

  it("gives the same transcript the same id under one model version, another under another", () => {
    const transcript = { source: "urn:clinic:north", id: "evt_42" };
    expect(codedEventId(transcript, "annomi-lr-aaaaaaaaaaaa")).toBe(codedEventId(transcript, "annomi-lr-aaaaaaaaaaaa"));
    expect(codedEventId(transcript, "annomi-lr-aaaaaaaaaaaa")).not.toBe(
      codedEventId(transcript, "annomi-lr-bbbbbbbbbbbb"),
    );
    expect(codedEventId(transcript, "v")).not.toBe(codedEventId({ ...transcript, source: "urn:clinic:south" }, "v"));
    expect(codedEventId(transcript, "v")).toMatch(/^coded_[0-9a-f]{32}$/);
  });
});
