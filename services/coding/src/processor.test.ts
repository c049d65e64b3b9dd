import { exampleEvent, TOPICS, toKafkaMessage, validateEvent } from "@evoke/events";
import { DEAD_LETTER_HEADERS, type KafkaMessage } from "@evoke/kafka";
import { loadCoder, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProcessorSettings, processMessage } from "./processor.ts";

const NOW = () => new Date("2026-03-14T10:05:00Z");
const ORIGIN = { topic: TOPICS.transcripts, partition: 2 };

function kafkaMessage(event: Record<string, unknown>, offset = "7"): KafkaMessage {
  const result = validateEvent(event);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const message = toKafkaMessage(result.event, { receivedAt: "2026-03-14T10:00:01Z", apiKeyName: "test" });
  return {
    key: Buffer.from(String(message.key)),
    value: Buffer.from(String(message.value)),
    headers: message.headers ?? {},
    offset,
    timestamp: "0",
    attributes: 0,
  };
}

describe("processMessage", () => {
  let settings: ProcessorSettings;
  beforeAll(async () => {
    settings = {
      coder: await loadCoder(),
      thresholds: THRESHOLD_PRESETS.manual,
      thresholdsName: "manual",
      maxCharacters: 10_000,
      consumerGroup: "coding",
    };
  }, 300_000);
  afterAll(async () => {
    await settings.coder.close();
  });

  it("codes a transcript", async () => {
    const outcome = await processMessage(
      kafkaMessage(exampleEvent("evoke.transcript.submitted")),
      ORIGIN,
      settings,
      NOW,
    );
    expect(outcome).toMatchObject({ kind: "coded", sessionId: "ses_2026_03_14_0930", utterances: 3 });
    expect(outcome.kind === "coded" && outcome.message.headers).toMatchObject({
      ce_type: "evoke.session.coded",
      ce_subject: "cli_7f3a9c",
    });
  });

  it("leaves other event types alone", async () => {
    expect(await processMessage(kafkaMessage(exampleEvent("evoke.session.attended")), ORIGIN, settings, NOW)).toEqual({
      kind: "skipped",
    });
  });

  it("skips another type by its ce_type header alone, without parsing the value (legacy intake)", async () => {
    const message = kafkaMessage(exampleEvent("evoke.session.attended"));
    const unparsable = { ...message, value: Buffer.from("{not json") };
    expect(await processMessage(unparsable, ORIGIN, settings, NOW)).toEqual({ kind: "skipped" });
  });

  it("dead-letters a message that is not an event, naming what is wrong and where it came from", async () => {
    const garbage: KafkaMessage = {
      key: null,
      value: Buffer.from("{not json"),
      headers: {},
      offset: "11",
      timestamp: "0",
      attributes: 0,
    };
    const outcome = await processMessage(garbage, ORIGIN, settings, NOW);
    expect(outcome.kind).toBe("dead-letter");
    if (outcome.kind !== "dead-letter") return;
    expect(outcome.reason).toContain("the message value is not JSON");
    expect(outcome.message.value).toEqual(garbage.value);
    expect(outcome.message.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.topic]: TOPICS.transcripts,
      [DEAD_LETTER_HEADERS.partition]: "2",
      [DEAD_LETTER_HEADERS.offset]: "11",
      [DEAD_LETTER_HEADERS.consumer]: "coding",
    });
  });

  it("dead-letters an event that breaks the contract, without quoting it", async () => {
    const message = kafkaMessage(exampleEvent("evoke.transcript.submitted"));
    const broken = JSON.parse(String(message.value));
    broken.utterances[0].speaker = "I drank a whole bottle";
    const outcome = await processMessage(
      { ...message, value: Buffer.from(JSON.stringify(broken)) },
      ORIGIN,
      settings,
      NOW,
    );
    expect(outcome).toMatchObject({
      kind: "dead-letter",
      reason: expect.stringContaining("data.utterances[0].speaker"),
    });
    expect(outcome.kind === "dead-letter" && outcome.reason).not.toContain("bottle");
  });

  it("dead-letters a transcript over the character limit", async () => {
    const event = exampleEvent("evoke.transcript.submitted");
    (event.data as { utterances: unknown[] }).utterances = Array.from({ length: 3 }, () => ({
      speaker: "client",
      text: "x".repeat(4_000),
    }));
    expect(await processMessage(kafkaMessage(event), ORIGIN, settings, NOW)).toMatchObject({
      kind: "dead-letter",
      reason: "oversized transcript: 12000 characters (limit 10000, CODING_MAX_CHARACTERS)",
    });
  });

  it("dead-letters a transcript the coder fails on, with the error's name only", async () => {
    const failing = async () => {
      throw new TypeError("the model is missing a classifier");
    };
    const broken: ProcessorSettings = { ...settings, coder: { ...settings.coder, code: failing } };
    const outcome = await processMessage(kafkaMessage(exampleEvent("evoke.transcript.submitted")), ORIGIN, broken, NOW);
    expect(outcome).toMatchObject({ kind: "dead-letter", reason: "coding failed: TypeError" });
  });
});
