import { type RunningCodingService, startCodingService } from "@evoke/coding";
import { createProducer, createTransactionalProducer, type Kafka, type Producer, startConsumer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { type Coder, loadCoder, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * A coding instance registers its transactional id when it starts, not at its first transcript:
 * so an earlier instance with the same id (a stalled process its replacement was started for)
 * is fenced at once, its open transaction is aborted, and the first transcript the new instance
 * codes does not wait for any of it.
 */

describe("a coding instance starting", { timeout: 120_000 }, () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let coder: Coder;
  let predecessor: Producer | undefined;
  let service: RunningCodingService | undefined;

  beforeAll(async () => {
    kafka = testKafka("coding-fence");
    topics = await createTestTopics(kafka, "coding-fence", { count: 3, partitions: 1 });
    coder = await loadCoder();
  });

  afterAll(async () => {
    await service?.stop();
    await predecessor?.disconnect().catch(() => undefined);
    await coder?.close();
    await topics?.drop();
  });

  it("fences the earlier instance with its id before coding anything", async () => {
    const [transcripts = "", coded = "", deadLetter = ""] = topics.names;
    const groupId = uniqueName("coding");
    const instance = uniqueName("replica");
    // The earlier instance, stalled with a coding sent but not committed.
    predecessor = createTransactionalProducer(kafka, `evoke-coding-${groupId}-${instance}`);
    await predecessor.connect();
    const stalled = await predecessor.transaction();
    await stalled.send({ topic: coded, messages: [{ value: "from the stalled instance" }] });

    service = await startCodingService({
      kafka,
      settings: { coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual", maxCharacters: 5_000 },
      topics: { transcripts, coded, deadLetter },
      logger: createLogger({ name: "coding", level: "silent" }),
      instance,
      groupId,
    });
    expect(service.stats.coded).toBe(0);

    // No transcript has arrived, yet the stalled instance can no longer commit...
    await expect(stalled.commit()).rejects.toThrow(/epoch|fenc/i);
    // ...and what it sent was aborted: a reader of committed records gets past it to the next
    // record (while it stayed open, the reader could read nothing beyond it) and never sees it.
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({ topic: coded, messages: [{ value: "after the fence" }] });
    await producer.disconnect();
    const seen: string[] = [];
    const reader = await startConsumer(kafka, {
      groupId: uniqueName("test-reader"),
      topics: [coded],
      readCommitted: true,
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
      },
    });
    try {
      await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(seen).toEqual(["after the fence"]);
    } finally {
      await reader.stop();
    }
  });
});
