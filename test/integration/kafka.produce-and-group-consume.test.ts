import { createProducer, type Kafka, type Producer, startConsumer } from "@evoke/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/** Resolves with what `take` collected once `done` says so, or rejects after `ms`. */
function collectUntil<T>(ms: number, done: (items: T[]) => boolean) {
  const items: T[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collected ${items.length} items in ${ms} ms`)), ms);
    finish = () => {
      clearTimeout(timer);
      resolve(items);
    };
  });
  return {
    add(item: T) {
      items.push(item);
      if (done(items)) finish();
    },
    finished,
  };
}

describe("kafkajs against the real broker: produce, then consume in a consumer group", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let producer: Producer;

  beforeAll(async () => {
    kafka = testKafka("produce-consume");
    topics = await createTestTopics(kafka, "produce-consume", { partitions: 3 });
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await topics?.drop();
  });

  it("delivers every message once, in order per key, and commits the group's offsets", async () => {
    const [topic = ""] = topics.names;
    // murmur2 puts these four keys on partitions 0, 1, 2 and 0: every partition has work.
    const keys = ["client-1", "client-2", "client-3", "client-4"];
    const sent = keys.flatMap((key) => Array.from({ length: 10 }, (_, n) => ({ key, value: `${key}:${n}` })));
    await producer.send({ topic, messages: sent });

    const groupId = uniqueName("test-group");
    const received = collectUntil<{ key: string; value: string; partition: number }>(
      30_000,
      (items) => items.length >= sent.length,
    );
    const running = await startConsumer(kafka, {
      groupId,
      topics: [topic],
      eachMessage: async ({ partition, message }) => {
        received.add({ key: String(message.key), value: String(message.value), partition });
      },
    });
    const messages = await received.finished;
    await running.stop();

    expect(messages.map((message) => message.value).sort()).toEqual(sent.map((message) => message.value).sort());
    expect(new Set(messages.map((message) => message.partition))).toEqual(new Set([0, 1, 2]));
    for (const key of keys) {
      const ofKey = messages.filter((message) => message.key === key);
      expect(ofKey.map((message) => message.value)).toEqual(Array.from({ length: 10 }, (_, n) => `${key}:${n}`));
      expect(new Set(ofKey.map((message) => message.partition)).size).toBe(1);
    }

    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const endOffsets = await admin.fetchTopicOffsets(topic);
      const byPartition = (list: { partition: number; offset: string }[]) =>
        Object.fromEntries(list.map(({ partition, offset }) => [partition, offset]));
      expect(byPartition(committed?.partitions ?? [])).toEqual(byPartition(endOffsets));
      const [group] = (await admin.describeGroups([groupId])).groups;
      expect(group?.state).toBe("Empty");
    } finally {
      await admin.disconnect();
    }
  });
});
