import { type RunningSink, startSink } from "@evoke/aggregation";
import { type EvokeEvent, toKafkaMessage } from "@evoke/events";
import { createProducer, type Kafka, type Producer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processedCount, recordReference, waitForProcessed } from "../support/aggregation.ts";
import { clinicHistory } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { fixtureEvent } from "../support/fixture-event.ts";
import { snapshot } from "../support/history.ts";
import { readMessages } from "../support/ingest.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The sink records the batches of partitions that are ready together in one database
 * transaction (group commit). Events already waiting on six partitions per topic when the sink
 * starts take fewer transactions than there are partition batches, and end in the same history
 * as the events applied straight to a database; an event the database refuses, in a shared
 * transaction, is dead-lettered with its own partition and offset while the others land.
 */

const PARTITIONS = 6;

function programmeRegistered(programmeId: string, name: string): EvokeEvent {
  return fixtureEvent({
    id: `registered_${programmeId}`,
    source: "urn:evoke:test:directory",
    type: "evoke.programme.registered",
    time: "2026-03-02T09:00:00Z",
    data: { programmeId, name },
  });
}

describe("aggregation: partitions ready together share a transaction", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let reference: TestDatabase;
  let sinkDatabase: TestDatabase;
  let producer: Producer;
  let sink: RunningSink | undefined;
  const groupId = uniqueName("aggregation-group-commit");

  const start = async () => {
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    sink = await startSink({
      kafka,
      db: sinkDatabase.db,
      topics: { sources: [intake, coded], deadLetter },
      logger: createLogger({ name: "aggregation", level: "silent" }),
      groupId,
    });
    return sink;
  };

  /** Publishes each event to its topic; returns the partitions that received any. */
  const publish = async (events: readonly EvokeEvent[]) => {
    const [intake = "", coded = ""] = topics.names;
    const sent = await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic: intake,
          messages: events.filter((e) => e.type !== "evoke.session.coded").map((e) => toKafkaMessage(e)),
        },
        {
          topic: coded,
          messages: events.filter((e) => e.type === "evoke.session.coded").map((e) => toKafkaMessage(e)),
        },
      ].filter(({ messages }) => messages.length > 0),
    });
    return new Set(sent.map((record) => `${record.topicName}/${record.partition}`));
  };

  beforeAll(async () => {
    kafka = testKafka("aggregation-group-commit");
    topics = await createTestTopics(kafka, "aggregation-group-commit", { count: 3, partitions: PARTITIONS });
    reference = await createTestDatabase("aggregation_group_reference");
    sinkDatabase = await createTestDatabase("aggregation_group_sink");
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await sink?.stop();
    await producer?.disconnect();
    await topics?.drop();
    await reference?.drop();
    await sinkDatabase?.drop();
  });

  it("records waiting batches of many partitions in fewer transactions, with the reference's history", async () => {
    const { events } = await clinicHistory(24);
    const partitions = await publish(events);
    // Without group commit each partition's batch would be a transaction of its own.
    expect(partitions.size).toBeGreaterThanOrEqual(PARTITIONS);

    const running = await start();
    await waitForProcessed(sinkDatabase.sql, events.length);
    expect(running.stats.transactions).toBeLessThan(partitions.size);
    expect(running.stats.transactions).toBeGreaterThan(0);

    await recordReference(reference.db, events);
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(reference.sql));
  });

  it("dead-letters the one event the database refuses with its own origin, and records the rest", async () => {
    await sink?.stop();
    sink = undefined;
    // Stands for any cause outside the event (a constraint, a missing migration, a bug).
    await sinkDatabase.sql`alter table programmes add constraint test_no_pilot check (name not like '%Pilot%')`;
    const names = Array.from({ length: 12 }, (_, i) => `Programme ${i}`);
    const ordinary = names.map((name, i) => programmeRegistered(`prg_group_${i}`, name));
    const pilot = programmeRegistered("prg_group_pilot", "Pilot programme");
    const [intake = "", , deadLetter = ""] = topics.names;
    const before = await processedCount(sinkDatabase.sql);
    await publish(ordinary.slice(0, 6));
    const [pilotRecord] = await producer.send({ topic: intake, acks: -1, messages: [toKafkaMessage(pilot)] });
    await publish(ordinary.slice(6));

    const running = await start();
    await waitForProcessed(sinkDatabase.sql, before + ordinary.length);
    const [letter] = await readMessages(kafka, deadLetter, 1);
    expect(letter?.headers).toMatchObject({
      "evoke-dlq-reason": "rejected by the database: 23514 (test_no_pilot)",
      "evoke-dlq-topic": intake,
      "evoke-dlq-partition": String(pilotRecord?.partition),
      "evoke-dlq-offset": String(pilotRecord?.baseOffset),
    });
    expect(running.stats.deadLettered).toBe(1);
    const recorded = await sinkDatabase.sql<{ name: string }[]>`
      select name from programmes where programme_id like 'prg_group_%' order by name`;
    expect(recorded.map((row) => row.name)).toEqual([...names].sort());
  });
});
