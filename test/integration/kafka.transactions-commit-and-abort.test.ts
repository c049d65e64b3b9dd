import {
  connectTransactional,
  createKafkaClient,
  createTransactionalProducer,
  inTransaction,
  type Kafka,
  type Producer,
  startConsumer,
} from "@evoke/kafka";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { capturingLogger } from "../support/logs.ts";
import { uniqueName } from "../support/names.ts";

/** Reads the topic from the start until `last` arrives; returns the values seen, in order. */
async function readUntil(kafka: Kafka, topic: string, last: string, readCommitted: boolean): Promise<string[]> {
  const values: string[] = [];
  let reached: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const running = await startConsumer(kafka, {
    groupId: uniqueName(readCommitted ? "test-committed" : "test-uncommitted"),
    topics: [topic],
    readCommitted,
    eachMessage: async ({ message }) => {
      values.push(String(message.value));
      if (String(message.value) === last) reached();
    },
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`"${last}" not seen; saw ${values}`)), 30_000),
  );
  try {
    await Promise.race([done, timeout]);
  } finally {
    await running.stop();
  }
  return values;
}

/** The group's committed offsets on the topic, by partition, as the broker holds them. */
async function committedOffsets(kafka: Kafka, groupId: string, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets?.partitions;
  } finally {
    await admin.disconnect();
  }
}

describe("kafkajs transactions against the real broker", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let producer: Producer;

  beforeAll(async () => {
    kafka = testKafka("transactions");
    topics = await createTestTopics(kafka, "transactions");
    producer = createTransactionalProducer(kafka, uniqueName("test-tx"));
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await topics?.drop();
  });

  it("shows a read_committed consumer the committed transaction and never the aborted one", async () => {
    const [topic = ""] = topics.names;
    await inTransaction(producer, (tx) => tx.send({ topic, messages: [{ value: "committed" }] }));
    await expect(
      inTransaction(producer, async (tx) => {
        await tx.send({ topic, messages: [{ value: "aborted" }] });
        throw new Error("the projection failed");
      }),
    ).rejects.toThrow("the projection failed");
    // A last committed record tells the readers they have seen everything before it.
    await inTransaction(producer, (tx) => tx.send({ topic, messages: [{ value: "end" }] }));

    expect(await readUntil(kafka, topic, "end", true)).toEqual(["committed", "end"]);
    // The aborted record did reach the log: only isolation hides it.
    expect(await readUntil(kafka, topic, "end", false)).toEqual(["committed", "aborted", "end"]);
  });

  it("commits consumer offsets atomically with the produced records (sendOffsets)", async () => {
    const [topic = ""] = topics.names;
    const groupId = uniqueName("test-eos");
    await inTransaction(producer, async (tx) => {
      await tx.send({ topic, messages: [{ value: "derived" }] });
      await tx.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: "7" }] }],
      });
    });
    expect(await committedOffsets(kafka, groupId, topic)).toEqual([
      expect.objectContaining({ partition: 0, offset: "7" }),
    ]);
  });

  it("asks the broker for the coordinators once, not before every request of every transaction", async () => {
    // patches/kafkajs@2.2.4.patch: unpatched, kafkajs sent FindCoordinator before each of
    // AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and EndTxn (four round trips a transaction).
    const [topic = ""] = topics.names;
    const groupId = uniqueName("test-coordinators");
    const requests: string[] = [];
    const listening = producer.on(producer.events.REQUEST, (event) => {
      requests.push(event.payload.apiName);
    });
    try {
      for (let round = 1; round <= 4; round += 1) {
        await inTransaction(producer, async (tx) => {
          await tx.send({ topic, messages: [{ value: `round ${round}` }] });
          await tx.sendOffsets({
            consumerGroupId: groupId,
            topics: [{ topic, partitions: [{ partition: 0, offset: String(round) }] }],
          });
        });
      }
    } finally {
      listening();
    }
    expect(requests.filter((name) => name === "EndTxn")).toHaveLength(4);
    // The producer has known its transaction coordinator since its first transaction; the new
    // group's coordinator is looked up once.
    expect(requests.filter((name) => name === "GroupCoordinator")).toHaveLength(1);
    expect(await committedOffsets(kafka, groupId, topic)).toEqual([
      expect.objectContaining({ partition: 0, offset: "4" }),
    ]);
  });

  it("waits out a coordinator still finishing the last transaction quietly, without refreshing metadata", async () => {
    // A transaction begun right after the last committed is refused (CONCURRENT_TRANSACTIONS)
    // while the coordinator writes the last one's markers. Unpatched, kafkajs logged each
    // refusal as an error ("Failed to send messages") and refreshed the cluster's metadata.
    const [topic = ""] = topics.names;
    const { logger, logs } = capturingLogger("coding", "info");
    const client = createKafkaClient({ brokers: inject("kafkaBrokers"), clientId: uniqueName("test-busy"), logger });
    const busy = createTransactionalProducer(client, uniqueName("test-busy-tx"));
    await connectTransactional(busy);
    // The first send loads the topic's metadata: that one is needed.
    await inTransaction(busy, (tx) => tx.send({ topic, messages: [{ value: "first" }] }));
    const requests: string[] = [];
    const listening = busy.on(busy.events.REQUEST, (event) => {
      requests.push(event.payload.apiName);
    });
    // Every AddPartitionsToTxn beyond one a transaction is a refused one sent again.
    const refusals = (transactions: number) =>
      requests.filter((name) => name === "AddPartitionsToTxn").length - transactions;
    let transactions = 0;
    try {
      while (transactions < 500 && refusals(transactions) < 3) {
        await inTransaction(busy, (tx) => tx.send({ topic, messages: [{ value: `back to back ${transactions}` }] }));
        transactions += 1;
      }
    } finally {
      listening();
      await busy.disconnect();
    }
    expect(refusals(transactions)).toBeGreaterThanOrEqual(3);
    expect(requests.filter((name) => name === "Metadata")).toEqual([]);
    expect(logs.filter((entry) => Number(entry.level) >= 40).map((entry) => entry.msg)).toEqual([]);
  });
});
