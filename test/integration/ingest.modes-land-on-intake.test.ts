import { exampleEvent } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestIngest,
  messageCount,
  postEvents,
  readMessages,
  TEST_KEY,
  type TestIngest,
} from "../support/ingest.ts";

/*
 * Each way of sending events ends as the same Kafka message on the intake topic: keyed by the
 * client, CloudEvents attributes in ce_* headers, the normalised data as the JSON value.
 * Transcripts alone go to the transcripts topic, in the same binding.
 */

const STRUCTURED = { "content-type": "application/cloudevents+json" };
const BATCH = { "content-type": "application/cloudevents-batch+json" };

describe("ingest: every content mode lands on the intake topic", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("modes");
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it("publishes structured, batch, binary and NDJSON events with the right key, headers and payload", async () => {
    const structured = exampleEvent("evoke.client.enrolled", { id: "evt_structured", traceparent: "00-abc-01" });
    const batch = [
      exampleEvent("evoke.session.attended", { id: "evt_batch_1" }),
      exampleEvent("evoke.programme.registered", { id: "evt_batch_2" }),
    ];
    const binary = exampleEvent("evoke.session.missed", { id: "evt_binary" });
    const ndjson = [
      exampleEvent("evoke.readiness.measured", { id: "evt_ndjson_1" }),
      exampleEvent("evoke.fidelity.rated", { id: "evt_ndjson_2" }),
    ];

    const structuredResponse = await postEvents(ingest, JSON.stringify(structured), STRUCTURED);
    expect(structuredResponse.status).toBe(202);
    expect(await structuredResponse.json()).toEqual({ accepted: 1 });

    const batchResponse = await postEvents(ingest, JSON.stringify(batch), BATCH);
    expect(batchResponse.status).toBe(202);
    expect(await batchResponse.json()).toEqual({ accepted: 2 });

    const binaryResponse = await postEvents(ingest, JSON.stringify(binary.data), {
      "content-type": "application/json; charset=utf-8",
      "ce-specversion": "1.0",
      "ce-id": String(binary.id),
      "ce-source": encodeURIComponent(String(binary.source)),
      "ce-type": String(binary.type),
      "ce-time": String(binary.time),
      "ce-subject": String(binary.subject),
    });
    expect(binaryResponse.status).toBe(202);

    const ndjsonResponse = await postEvents(ingest, `${ndjson.map((event) => JSON.stringify(event)).join("\n")}\n`, {
      "content-type": "application/x-ndjson",
    });
    expect(ndjsonResponse.status).toBe(200);
    expect(ndjsonResponse.headers.get("content-type")).toContain("application/x-ndjson");
    expect(
      (await ndjsonResponse.text())
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { line: 1, status: "accepted" },
      { line: 2, status: "accepted" },
      { summary: { lines: 2, accepted: 2, rejected: 0, failed: 0, complete: true } },
    ]);

    const messages = await readMessages(ingest.kafka, ingest.topic, 6);
    const byId = new Map(messages.map((message) => [message.headers.ce_id, message]));
    expect([...byId.keys()].sort()).toEqual(
      ["evt_structured", "evt_batch_1", "evt_batch_2", "evt_binary", "evt_ndjson_1", "evt_ndjson_2"].sort(),
    );

    for (const sent of [structured, ...batch, binary, ...ndjson]) {
      const message = byId.get(String(sent.id));
      expect(message?.headers).toMatchObject({
        ce_specversion: "1.0",
        ce_id: sent.id,
        ce_source: sent.source,
        ce_type: sent.type,
        ce_time: sent.time,
        "content-type": "application/json",
        "evoke-ingest-key": TEST_KEY.name,
      });
      expect(Date.parse(message?.headers["evoke-received-at"] ?? "")).not.toBeNaN();
      if (sent.subject === undefined) expect(message?.headers.ce_subject).toBeUndefined();
      else expect(message?.headers.ce_subject).toBe(sent.subject);
    }

    // Keys: the client for client events, else what the event is about.
    expect(byId.get("evt_structured")?.key).toBe("cli_7f3a9c");
    expect(byId.get("evt_binary")?.key).toBe("cli_7f3a9c");
    expect(byId.get("evt_batch_2")?.key).toBe("prg_north_alcohol");
    expect(byId.get("evt_ndjson_2")?.key).toBe("ses_2026_03_14_0930");
    // One client's events share a partition, so they stay in order.
    const clientPartitions = messages
      .filter((message) => message.key === "cli_7f3a9c")
      .map((message) => message.partition);
    expect(new Set(clientPartitions).size).toBe(1);

    // Payloads: the data, normalised (readiness scales filled in), extensions as headers.
    expect(byId.get("evt_structured")?.value).toEqual(structured.data);
    expect(byId.get("evt_structured")?.headers.ce_traceparent).toBe("00-abc-01");
    expect(byId.get("evt_binary")?.value).toEqual(binary.data);
    expect(byId.get("evt_ndjson_1")?.value).toMatchObject({ scores: { readiness: { value: 6, min: 0, max: 10 } } });
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(6);
  });

  it("drops unknown data fields before publishing (forward compatibility)", async () => {
    const before = await messageCount(ingest.kafka, ingest.topic);
    const event = exampleEvent("evoke.session.cancelled", { id: "evt_future" });
    (event.data as Record<string, unknown>).reasonCodeFromV3 = "X17";
    expect((await postEvents(ingest, JSON.stringify(event), STRUCTURED)).status).toBe(202);
    const messages = await readMessages(ingest.kafka, ingest.topic, before + 1);
    const published = messages.find((message) => message.headers.ce_id === "evt_future");
    expect(published?.value).not.toHaveProperty("reasonCodeFromV3");
  });

  it("streams a long NDJSON backfill in chunks and reports every line in order", async () => {
    const before = await messageCount(ingest.kafka, ingest.topic);
    const lines = Array.from({ length: 1_203 }, (_, n) =>
      n === 700 ? "{broken" : JSON.stringify(exampleEvent("evoke.session.scheduled", { id: `evt_backfill_${n}` })),
    );
    const response = await postEvents(ingest, lines.join("\n"), { "content-type": "application/x-ndjson" });
    const outcomes = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(outcomes).toHaveLength(1_204);
    expect(outcomes.slice(0, -1).map((outcome) => outcome.line)).toEqual(
      Array.from({ length: 1_203 }, (_, n) => n + 1),
    );
    expect(outcomes[700]).toMatchObject({ line: 701, status: "rejected" });
    expect(outcomes.at(-1)).toEqual({
      summary: { lines: 1_203, accepted: 1_202, rejected: 1, failed: 0, complete: true },
    });
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(before + 1_202);
  });

  it("routes transcripts to the transcripts topic and the rest of the same request to intake", async () => {
    const intakeBefore = await messageCount(ingest.kafka, ingest.topic);
    const transcript = exampleEvent("evoke.transcript.submitted", { id: "evt_routed_transcript" });
    const attended = exampleEvent("evoke.session.attended", { id: "evt_routed_attended" });
    const response = await postEvents(ingest, JSON.stringify([attended, transcript]), BATCH);
    expect(response.status).toBe(202);

    const [onTranscripts] = await readMessages(ingest.kafka, ingest.transcriptsTopic, 1);
    expect(onTranscripts?.key).toBe("cli_7f3a9c");
    expect(onTranscripts?.headers).toMatchObject({
      ce_id: "evt_routed_transcript",
      ce_type: "evoke.transcript.submitted",
      "evoke-ingest-key": TEST_KEY.name,
    });
    expect(onTranscripts?.value).toEqual(transcript.data);
    expect(await messageCount(ingest.kafka, ingest.transcriptsTopic)).toBe(1);

    const onIntake = await readMessages(ingest.kafka, ingest.topic, intakeBefore + 1);
    expect(onIntake.map((message) => message.headers.ce_id)).toContain("evt_routed_attended");
    expect(onIntake.map((message) => message.headers.ce_type)).not.toContain("evoke.transcript.submitted");
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(intakeBefore + 1);
  });
});
