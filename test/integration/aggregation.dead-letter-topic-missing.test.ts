import { type RunningSink, startSink } from "@evoke/aggregation";
import type { EvokeEvent } from "@evoke/events";
import { createProducer, ensureTopics, type Kafka, type Producer } from "@evoke/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processedCount, publishEvents, waitForProcessed } from "../support/aggregation.ts";
import { clinicHistory } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { readMessages } from "../support/ingest.ts";
import { createTestTopics, groupLag, type TestTopics, testKafka } from "../support/kafka.ts";
import { capturingLogger } from "../support/logs.ts";
import { uniqueName } from "../support/names.ts";

/*
 * A batch the sink cannot finish (here: its dead letter cannot be written, because the
 * dead-letter topic does not exist yet) must not be committed, nor may any batch behind it on
 * its partition, however far the sink has read ahead: the partition goes back to the batch and
 * tries again, the events already recorded are not counted twice, and once the topic exists the
 * dead letter is written and the partition moves on.
 */

describe("aggregation when a dead letter cannot be written", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let database: TestDatabase;
  let sink: RunningSink;
  let producer: Producer;
  let events: EvokeEvent[];
  const { logger, logs } = capturingLogger("aggregation", "warn");
  const groupId = uniqueName("aggregation-dlq-missing");
  const deadLetter = uniqueName("test.aggregation-dlq-missing.dlq");

  beforeAll(async () => {
    ({ events } = await clinicHistory(4));
    kafka = testKafka("aggregation-dlq-missing");
    // One partition each: every batch of the intake topic is behind the one holding the bad message.
    topics = await createTestTopics(kafka, "aggregation-dlq-missing", { count: 2, partitions: 1 });
    database = await createTestDatabase("aggregation_dlq_missing");
    const [intake = "", coded = ""] = topics.names;
    sink = await startSink({
      kafka,
      db: database.db,
      topics: { sources: [intake, coded], deadLetter },
      logger,
      groupId,
    });
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await sink?.stop();
    await topics?.drop();
    await kafka
      ?.admin()
      .deleteTopics({ topics: [deadLetter] })
      .catch(() => undefined);
    await database?.drop();
  });

  it("holds the partition at the batch, records nothing twice, and moves on once the topic exists", async () => {
    const [intake = "", coded = ""] = topics.names;
    const intakeEvents = events.filter((event) => event.type !== "evoke.session.coded");
    const half = Math.floor(intakeEvents.length / 2);
    await publishEvents(producer, { intake, coded }, intakeEvents.slice(0, half));
    await producer.send({ topic: intake, acks: -1, messages: [{ key: "k", value: "not json" }] });
    await publishEvents(producer, { intake, coded }, intakeEvents.slice(half));

    // Every valid event is recorded (the transaction commits before the dead letter is sent)...
    await waitForProcessed(database.sql, intakeEvents.length);
    // ...but the dead letter cannot be written (once the producer's own retries give up, the
    // batch is abandoned and its partition sent back to it, more than once while the topic is
    // missing), and the group does not move past the message meanwhile.
    const givenUp = () => logs.filter((line) => line.msg === "batch not recorded; it will be fetched again");
    await expect.poll(() => givenUp().length, { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    expect(Number(givenUp()[0]?.offset)).toBeLessThanOrEqual(half);
    expect(await groupLag(kafka, groupId, [intake])).toBeGreaterThanOrEqual(intakeEvents.length - half + 1);
    expect(sink.stats.deadLettered).toBe(0);

    await ensureTopics(kafka, [{ name: deadLetter, partitions: 1 }]);
    await expect.poll(() => groupLag(kafka, groupId, [intake]), { timeout: 90_000, interval: 500 }).toBe(0);
    const letters = await readMessages(kafka, deadLetter, 1);
    expect(letters.map((letter) => letter.value)).toEqual(["not json"]);
    expect(Number(letters[0]?.headers["evoke-dlq-offset"])).toBe(half);
    expect(sink.stats.deadLettered).toBe(1);
    expect(await processedCount(database.sql)).toBe(intakeEvents.length);
    expect(sink.stats.applied).toBe(intakeEvents.length);
  }, 180_000);
});
