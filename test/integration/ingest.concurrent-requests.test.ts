import { exampleEvent } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestIngest, messageCount, postEvents, readMessages, type TestIngest } from "../support/ingest.ts";

/*
 * Ingest sends concurrent requests to Kafka together (group commit). Each request must still be
 * acknowledged only for its own events, and one request Kafka refuses must not take the
 * others down with it.
 */

const BATCH = { "content-type": "application/cloudevents-batch+json" };

function batch(prefix: string, size: number): string {
  return JSON.stringify(
    Array.from({ length: size }, (_, n) => exampleEvent("evoke.session.scheduled", { id: `${prefix}_${n}` })),
  );
}

describe("ingest: concurrent requests", () => {
  let ingest: TestIngest;
  // A topic that refuses record batches over 64 KiB, to make one request fail inside Kafka.
  let strict: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("concurrent");
    strict = await createTestIngest("concurrent-strict", { topicConfig: { "max.message.bytes": String(64 * 1024) } });
  });

  afterAll(async () => {
    await ingest?.close();
    await strict?.close();
  });

  it("acknowledges each of 20 simultaneous requests once all its events are in Kafka", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, n) => postEvents(ingest, batch(`req${n}`, 25), BATCH)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    const ids = new Set((await readMessages(ingest.kafka, ingest.topic, 500)).map((message) => message.headers.ce_id));
    for (let n = 0; n < 20; n += 1) expect(ids.has(`req${n}_24`)).toBe(true);
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(500);
  });

  it("fails only the request Kafka refuses, not the ones sent with it", async () => {
    const transcript = exampleEvent("evoke.transcript.submitted", { id: "too_big_for_topic" });
    (transcript.data as Record<string, unknown>).utterances = Array.from({ length: 30 }, () => ({
      speaker: "client",
      text: "z".repeat(3_000),
    }));
    const [small, big, other] = await Promise.all([
      postEvents(strict, batch("small", 5), BATCH),
      postEvents(strict, JSON.stringify(transcript), { "content-type": "application/cloudevents+json" }),
      postEvents(strict, batch("other", 5), BATCH),
    ]);
    expect(small?.status).toBe(202);
    expect(other?.status).toBe(202);
    expect(big?.status).toBe(500);
    expect(await big?.json()).toMatchObject({ type: "/problems/internal" });
    expect(await messageCount(strict.kafka, strict.topic)).toBe(10);
  });
});
