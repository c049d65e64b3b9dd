import { setTimeout as sleep } from "node:timers/promises";
import { type RunningCodingService, startCodingService } from "@evoke/coding";
import { exampleEvent, toKafkaMessage, validateEvent } from "@evoke/events";
import { createProducer, type Kafka, type RunningConsumer, startConsumer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { type Coder, loadCoder, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTopics, groupLag, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * A backlog fetched as one batch is published in parts while it is coded: the first transcripts'
 * codings are readable (committed) before the last transcript is coded, and the batch as a whole
 * still comes out exactly once with the group's offsets at the end.
 */

const TRANSCRIPTS = 8;
/** The transcript whose coding waits to see earlier codings published. */
const WATCHING = 5;

describe("the coding service with a backlog", { timeout: 180_000 }, () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let coder: Coder;
  let reader: RunningConsumer | undefined;
  let service: RunningCodingService | undefined;
  const groupId = uniqueName("coding");

  beforeAll(async () => {
    kafka = testKafka("coding-parts");
    topics = await createTestTopics(kafka, "coding-parts", { count: 3, partitions: 1 });
    coder = await loadCoder();
  });

  afterAll(async () => {
    await service?.stop();
    await reader?.stop();
    await coder?.close();
    await topics?.drop();
  });

  it("publishes the first codings of a batch before its last transcript is coded", async () => {
    const [transcripts = "", coded = "", deadLetter = ""] = topics.names;
    // The whole backlog is on the partition before the service starts: one fetch, one batch.
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic: transcripts,
      messages: Array.from({ length: TRANSCRIPTS }, (_, index) => {
        const candidate = exampleEvent("evoke.transcript.submitted", { id: `evt_backlog_${index}` });
        (candidate.data as { sessionId: string }).sessionId = `ses_backlog_${index}`;
        const result = validateEvent(candidate);
        if (!result.ok) throw new Error("bad fixture");
        return toKafkaMessage(result.event);
      }),
    });
    await producer.disconnect();

    // What a downstream consumer (reading committed, as the aggregation sink does) can see.
    const readable: string[] = [];
    reader = await startConsumer(kafka, {
      groupId: uniqueName("test-reader"),
      topics: [coded],
      eachMessage: async ({ message }) => {
        readable.push(String(message.headers?.ce_id));
      },
    });

    // The real coder, a little slower, and at the WATCHING-th transcript waiting (up to 45 s) for
    // a coding to become readable: with the batch published only at its end, none ever would.
    let calls = 0;
    let readableWhileCoding = 0;
    const watchful: Coder = {
      model: coder.model,
      encoder: coder.encoder,
      close: () => coder.close(),
      code: async (session, thresholds) => {
        calls += 1;
        await sleep(60);
        if (calls === WATCHING) {
          const until = Date.now() + 45_000;
          while (readable.length === 0 && Date.now() < until) await sleep(50);
          readableWhileCoding = readable.length;
        }
        return coder.code(session, thresholds);
      },
    };
    service = await startCodingService({
      kafka,
      settings: {
        coder: watchful,
        thresholds: THRESHOLD_PRESETS.manual,
        thresholdsName: "manual",
        maxCharacters: 5_000,
      },
      topics: { transcripts, coded, deadLetter },
      logger: createLogger({ name: "coding", level: "silent" }),
      instance: uniqueName("test"),
      groupId,
      publishEveryMs: 100,
    });

    await expect.poll(() => readable.length, { timeout: 90_000 }).toBe(TRANSCRIPTS);
    expect(readableWhileCoding).toBeGreaterThan(0);
    expect(readableWhileCoding).toBeLessThan(WATCHING);
    // Exactly once: every transcript coded once, none again, and the group at the end.
    expect(new Set(readable).size).toBe(TRANSCRIPTS);
    expect(calls).toBe(TRANSCRIPTS);
    await expect.poll(() => groupLag(kafka, groupId, [transcripts]), { timeout: 30_000 }).toBe(0);
    expect(service.stats).toMatchObject({ coded: TRANSCRIPTS, deadLettered: 0 });
  });
});
