import { type RunningSink, startSink } from "@evoke/aggregation";
import { toKafkaMessage } from "@evoke/events";
import { createTransactionalProducer, inTransaction, type Kafka, type Producer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForProcessed } from "../support/aggregation.ts";
import { clinicHistory } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { createTestTopics, groupLag, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * Coding writes its codings in Kafka transactions, and each transaction ends with a marker that
 * takes an offset but is never delivered. A sink that commits only through the last message it
 * saw shows a lag of 1 on every coded partition for ever, which the Pipeline health page
 * reports as work not done.
 */

describe("aggregation on a transactionally written topic", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let database: TestDatabase;
  let sink: RunningSink;
  let producer: Producer;
  const groupId = uniqueName("aggregation-markers");

  beforeAll(async () => {
    kafka = testKafka("aggregation-markers");
    topics = await createTestTopics(kafka, "aggregation-markers", { count: 3, partitions: 2 });
    database = await createTestDatabase("aggregation_markers");
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    sink = await startSink({
      kafka,
      db: database.db,
      topics: { sources: [intake, coded], deadLetter },
      logger: createLogger({ name: "aggregation", level: "silent" }),
      groupId,
    });
    producer = createTransactionalProducer(kafka, uniqueName("test-markers-tx"));
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await sink?.stop();
    await topics?.drop();
    await database?.drop();
  });

  it("commits past the transactions' markers: no lag is left once everything is recorded", async () => {
    const [, coded = ""] = topics.names;
    const { events } = await clinicHistory(4);
    const codings = events.filter((event) => event.type === "evoke.session.coded");
    expect(codings.length).toBeGreaterThan(4);
    const half = Math.floor(codings.length / 2);
    for (const part of [codings.slice(0, half), codings.slice(half)]) {
      await inTransaction(producer, (tx) =>
        tx.send({ topic: coded, messages: part.map((event) => toKafkaMessage(event)) }),
      );
    }
    await waitForProcessed(database.sql, codings.length);
    await expect.poll(() => groupLag(kafka, groupId, [coded]), { timeout: 30_000, interval: 250 }).toBe(0);
  });
});
