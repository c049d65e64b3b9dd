import { listDeadLetters, type RunningSink, startSink } from "@evoke/aggregation";
import { type EvokeEvent, exampleEvent, toKafkaMessage, validateEvokeEvent } from "@evoke/events";
import { createProducer, type Kafka, type Message, type Producer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { processedCount, publishEvents, waitForProcessed } from "../support/aggregation.ts";
import { runMiCli } from "../support/cli.ts";
import { clinicHistory } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { readMessages } from "../support/ingest.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * Messages that are not valid events, produced straight into the topic (as a misbehaving
 * producer would, past ingest), go to the dead-letter topic with their reason and origin; the
 * partition carries on. `pnpm mi dlq list` describes them without their content, and
 * `pnpm mi dlq replay` sends one back once its cause is fixed.
 */

function validEvent(type: Parameters<typeof exampleEvent>[0], overrides: Record<string, unknown>): EvokeEvent {
  const result = validateEvokeEvent({ ...exampleEvent(type), ...overrides });
  if (!result.ok) throw new Error(`fixture invalid: ${JSON.stringify(result.issues)}`);
  return result.event;
}

describe("aggregation dead-letters what it cannot record", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let database: TestDatabase;
  let sink: RunningSink;
  let producer: Producer;
  let events: EvokeEvent[];

  beforeAll(async () => {
    ({ events } = await clinicHistory(4));
    kafka = testKafka("aggregation-dlq");
    // One partition, so the test knows each message's offset.
    topics = await createTestTopics(kafka, "aggregation-dlq", { count: 3, partitions: 1 });
    database = await createTestDatabase("aggregation_dlq");
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    sink = await startSink({
      kafka,
      db: database.db,
      topics: { sources: [intake, coded], deadLetter },
      logger: createLogger({ name: "aggregation", level: "silent" }),
      groupId: uniqueName("aggregation-dlq"),
    });
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await sink?.stop();
    await topics?.drop();
    await database?.drop();
  });

  it("dead-letters unparseable and contract-violating messages with reason and origin, and carries on", async () => {
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    const half = Math.floor(events.length / 2);
    const before = events.slice(0, half).filter((event) => event.type !== "evoke.session.coded");
    await publishEvents(producer, { intake, coded }, before);

    const readiness = toKafkaMessage(validEvent("evoke.readiness.measured", { id: "bad_readiness" }));
    const badReadiness: Message = {
      ...readiness,
      // A readiness ruler runs from 0 to 10.
      value: JSON.stringify({ ...JSON.parse(String(readiness.value)), scores: { importance: { value: 42 } } }),
    };
    const malformed: Message[] = [
      { key: "k1", value: "not json {secret client text}", headers: { ce_type: "evoke.session.attended" } },
      { key: "k2", value: JSON.stringify({ hello: "world" }) },
      badReadiness,
    ];
    await producer.send({ topic: intake, acks: -1, messages: malformed });
    await publishEvents(producer, { intake, coded }, events.slice(half));

    const valid = events.length - (half - before.length);
    await waitForProcessed(database.sql, valid);
    const letters = await readMessages(kafka, deadLetter, malformed.length);
    expect(letters).toHaveLength(malformed.length);
    const origin = letters.map((letter) => ({
      topic: letter.headers["evoke-dlq-topic"],
      offset: Number(letter.headers["evoke-dlq-offset"]),
    }));
    expect(origin).toEqual([0, 1, 2].map((i) => ({ topic: intake, offset: before.length + i })));
    const reasons = letters.map((letter) => String(letter.headers["evoke-dlq-reason"]));
    expect(reasons[0]).toMatch(/invalid event: .*(JSON|json)/);
    expect(reasons[1]).toMatch(/invalid event: .*(type|specversion|ce_)/);
    // The reason names the field that broke the contract.
    expect(reasons[2]).toMatch(/invalid event: .*scores\.importance\.value/);
    // The dead letter is the original message: its key and value, untouched.
    expect(letters[0]?.value).toBe("not json {secret client text}");
    expect(sink.stats.deadLettered).toBe(malformed.length);
  });

  it("dead-letters a valid event the database refuses, and replays it once the cause is fixed", async () => {
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    // Stands for any cause outside the event (a constraint, a missing migration, a bug).
    await database.sql`alter table programmes add constraint test_no_pilot check (name not like '%Pilot%')`;
    const pilot = validEvent("evoke.programme.registered", {
      id: "pilot_programme",
      data: { programmeId: "prg_pilot", name: "Pilot programme" },
    });
    const ordinary = validEvent("evoke.programme.registered", {
      id: "ordinary_programme",
      data: { programmeId: "prg_ordinary", name: "Ordinary programme" },
    });
    const processedBefore = await processedCount(database.sql);
    await publishEvents(producer, { intake, coded }, [pilot, ordinary]);
    // The batch it came in with still lands.
    await waitForProcessed(database.sql, processedBefore + 1);
    const letters = await listDeadLetters(kafka, deadLetter);
    const refused = letters.at(-1);
    expect(refused).toMatchObject({
      reason: "rejected by the database: 23514 (test_no_pilot)",
      type: "evoke.programme.registered",
      source: pilot.source,
      originalTopic: intake,
    });

    const env = { KAFKA_BROKERS: inject("kafkaBrokers").join(","), LOG_LEVEL: "silent" };
    const list = runMiCli(["dlq", "list", "--topic", deadLetter], env);
    expect((await list.exit).code).toBe(0);
    const lines = list.stdout().trim().split("\n");
    expect(lines).toHaveLength(letters.length);
    expect(lines.at(-1)).toContain("rejected by the database: 23514 (test_no_pilot)");
    // Reason, type, source and time only: never the message content.
    expect(list.stdout()).not.toContain("secret client text");
    expect(list.stdout()).not.toContain("Pilot programme");

    await database.sql`alter table programmes drop constraint test_no_pilot`;
    const replay = runMiCli(["dlq", "replay", "--topic", deadLetter, "--reason", "test_no_pilot"], env);
    expect((await replay.exit).code).toBe(0);
    expect(replay.stderr()).toContain("replayed 1 dead letter");
    await waitForProcessed(database.sql, processedBefore + 2);
    const [programme] = await database.sql`select name from programmes where programme_id = 'prg_pilot'`;
    expect(programme?.name).toBe("Pilot programme");
  });
});
