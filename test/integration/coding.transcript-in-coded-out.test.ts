import { type RunningCodingService, startCodingService } from "@evoke/coding";
import { type CloudEvent, exampleEvent, toKafkaMessage, validateEvent } from "@evoke/events";
import { createProducer, DEAD_LETTER_HEADERS, type Kafka, type Producer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { type Coder, codeTranscript, loadCoder, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMessages } from "../support/ingest.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The coding service on the real broker: a transcript on the intake topic becomes exactly the
 * expected evoke.session.coded event on the coded topic; other events are ignored; bad messages
 * are dead-lettered with their reason and the service carries on; a redelivered transcript
 * gets the same coded id.
 */

const CODED_AT = new Date("2026-03-14T10:05:00Z");

function transcript(overrides: Record<string, unknown>, clientId?: string): CloudEvent<"evoke.transcript.submitted"> {
  const candidate = exampleEvent("evoke.transcript.submitted", overrides);
  if (clientId !== undefined) {
    (candidate.data as { clientId: string }).clientId = clientId;
    candidate.subject = clientId;
  }
  const result = validateEvent(candidate);
  if (!result.ok || result.event.type !== "evoke.transcript.submitted") throw new Error("bad fixture");
  return result.event;
}

describe("the coding service", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let producer: Producer;
  let coder: Coder;
  let service: RunningCodingService;
  let transcripts: string;
  let legacyIntake: string;
  let coded: string;
  let deadLetter: string;

  beforeAll(async () => {
    kafka = testKafka("coding");
    topics = await createTestTopics(kafka, "coding", { count: 4, partitions: 3 });
    [transcripts = "", legacyIntake = "", coded = "", deadLetter = ""] = topics.names;
    producer = createProducer(kafka);
    await producer.connect();
    coder = await loadCoder();
    service = await startCodingService({
      kafka,
      settings: { coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual", maxCharacters: 5_000 },
      // As while upgrading (CODING_READ_INTAKE): transcripts left on the old intake topic too.
      topics: { transcripts, legacyIntake, coded, deadLetter },
      logger: createLogger({ name: "coding", level: "silent" }),
      instance: uniqueName("test"),
      groupId: uniqueName("coding"),
      now: () => CODED_AT,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await coder?.close();
    await producer?.disconnect();
    await topics?.drop();
  });

  it("codes a transcript into exactly the expected event, dead-letters bad input, and carries on", async () => {
    const first = transcript({ id: "evt_transcript_1" });
    const tooLong = transcript({ id: "evt_transcript_long" });
    tooLong.data.utterances.splice(0, tooLong.data.utterances.length, { speaker: "client", text: "y".repeat(6_000) });
    const second = transcript({ id: "evt_transcript_2" }, "cli_other");
    const other = validateEvent(exampleEvent("evoke.session.attended"));
    if (!other.ok) throw new Error("bad fixture");

    await producer.send({
      topic: transcripts,
      messages: [
        toKafkaMessage(first),
        toKafkaMessage(other.event),
        { key: "cli_7f3a9c", value: "{not json", headers: { ce_type: "evoke.transcript.submitted" } },
        toKafkaMessage(tooLong),
        toKafkaMessage(second),
      ],
    });

    const codings = await readMessages(kafka, coded, 2);
    const expected = await Promise.all(
      [first, second].map((event) =>
        codeTranscript(event, { coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" }, CODED_AT),
      ),
    );
    for (const event of expected) {
      const message = codings.find((candidate) => candidate.headers.ce_id === event.id);
      expect(message?.key).toBe(event.data.clientId);
      expect(message?.headers).toMatchObject({
        ce_type: "evoke.session.coded",
        ce_source: "urn:evoke:coding",
        ce_subject: event.data.clientId,
        ce_time: event.time,
      });
      expect(message?.value).toEqual(JSON.parse(JSON.stringify(event.data)));
    }

    const letters = await readMessages(kafka, deadLetter, 2);
    const reasons = letters.map((letter) => letter.headers[DEAD_LETTER_HEADERS.reason]).sort();
    expect(reasons[0]).toContain("invalid event: data: the message value is not JSON");
    expect(reasons[1]).toBe("oversized transcript: 6000 characters (limit 5000, CODING_MAX_CHARACTERS)");
    for (const letter of letters) {
      expect(letter.headers[DEAD_LETTER_HEADERS.topic]).toBe(transcripts);
      expect(Number(letter.headers[DEAD_LETTER_HEADERS.offset])).toBeGreaterThanOrEqual(0);
    }
    expect(service.stats).toMatchObject({ coded: 2, deadLettered: 2, skipped: 1 });
  });

  it("gives a redelivered transcript the same coded event id", async () => {
    const again = transcript({ id: "evt_transcript_1" });
    await producer.send({ topic: transcripts, messages: [toKafkaMessage(again)] });
    const codings = await readMessages(kafka, coded, 3);
    const ofFirst = codings.filter(
      (message) => (message.value as { transcript: { id: string } }).transcript.id === "evt_transcript_1",
    );
    expect(ofFirst).toHaveLength(2);
    expect(ofFirst[0]?.headers.ce_id).toBe(ofFirst[1]?.headers.ce_id);
    expect(new Set(codings.map((message) => message.headers.ce_id)).size).toBe(2);
  });

  it("codes a transcript still on the old intake topic, skipping that topic's other events", async () => {
    const left = transcript({ id: "evt_transcript_on_intake" }, "cli_legacy");
    const other = validateEvent(exampleEvent("evoke.readiness.measured"));
    if (!other.ok) throw new Error("bad fixture");
    await producer.send({ topic: legacyIntake, messages: [toKafkaMessage(other.event), toKafkaMessage(left)] });
    const codings = await readMessages(kafka, coded, 4);
    const ofLeft = codings.filter(
      (message) => (message.value as { transcript: { id: string } }).transcript.id === "evt_transcript_on_intake",
    );
    expect(ofLeft).toHaveLength(1);
    expect(ofLeft[0]?.key).toBe("cli_legacy");
    await expect.poll(() => service.stats.skipped).toBe(2);
  });
});
