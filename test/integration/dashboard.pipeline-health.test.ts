import { pipelineActivity } from "@evoke/analytics";
import { recordEvents, recordProcessedEvent } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import { type LocalBroker, startLocalBroker } from "@evoke/infra";
import {
  createKafkaClient,
  createProducer,
  deadLetterMessage,
  ensureTopics,
  type Kafka,
  type KafkaMessage,
  type Producer,
  type RunningConsumer,
  readTopicToEnd,
  startConsumer,
} from "@evoke/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The dashboard package exposes no entry for these yet (its index belongs to the pages): the
// suite reaches the data functions by path, as their future callers inside the package will.
import { type ConsumerGroupLag, consumerLag } from "../../dashboard/src/pipeline/consumer-lag.ts";
import { DeadLetterWatch } from "../../dashboard/src/pipeline/dead-letter-watch.ts";
import { freePort, isolatedInfrastructure } from "../support/cli.ts";
import { clinicHistory } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The data behind the dashboard's "Pipeline health" page, against a real broker and server:
 * consumer lag per partition, a live tally of the dead-letter topic that never holds message
 * content, and the pipeline's activity from the processed-events ledger and the codings.
 */

const SECRET = "SECRET-client-said-this-9f3a";

/** A dead letter from `originTopic`, whose value and key carry SECRET. */
function letterFor(originTopic: string, i: number, reason: string, partition = i % 2) {
  const original: KafkaMessage = {
    key: Buffer.from(`cli_${SECRET}_${i}`),
    value: Buffer.from(JSON.stringify({ data: { utterances: [{ speaker: "client", text: SECRET }] } })),
    headers: { ce_type: "evoke.transcript.submitted", ce_source: "urn:test:clinic", ce_id: `tr_${i}` },
    offset: String(100 + i),
    timestamp: "0",
    attributes: 0,
  };
  const origin = { topic: originTopic, partition, offset: String(100 + i), consumer: "evoke-test" };
  return { ...deadLetterMessage(original, origin, reason, new Date(Date.UTC(2026, 0, 1, 0, i))), partition };
}

async function deleteGroups(kafka: Kafka, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([...groupIds]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

function groupOf(lags: readonly ConsumerGroupLag[], groupId: string): ConsumerGroupLag | undefined {
  return lags.find((lag) => lag.groupId === groupId);
}

describe("dashboard pipeline health", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let database: TestDatabase;
  let producer: Producer;
  const groups: string[] = [];
  const watches: DeadLetterWatch[] = [];
  let consumer: RunningConsumer | undefined;

  beforeAll(async () => {
    kafka = testKafka("pipeline-health");
    // [committed-at-known-offsets, consumed-by-a-live-group, dead letters]
    topics = await createTestTopics(kafka, "pipeline-health", { count: 3, partitions: 2 });
    database = await createTestDatabase("pipeline_health");
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    for (const watch of watches) await watch.stop();
    await producer?.disconnect();
    if (kafka !== undefined) {
      const admin = kafka.admin();
      await admin.connect();
      const own = (await admin.listGroups()).groups
        .map((group) => group.groupId)
        .filter((groupId) => topics?.names.some((topic) => groupId.startsWith(`read-to-end-${topic}-`)));
      await admin.disconnect();
      await deleteGroups(kafka, [
        ...groups,
        ...own,
        ...watches.flatMap((watch) => (watch.groupId === undefined ? [] : [watch.groupId])),
      ]);
    }
    await topics?.drop();
    await database?.drop();
  });

  it("reports each partition's lag as produced − committed, from the partition's start where nothing is committed", async () => {
    const [topic = ""] = topics.names;
    const message = (partition: number, i: number) => ({ partition, key: `k${i}`, value: `v${i}` });
    await producer.send({
      topic,
      acks: -1,
      messages: [
        ...Array.from({ length: 10 }, (_, i) => message(0, i)),
        ...Array.from({ length: 4 }, (_, i) => message(1, i)),
      ],
    });
    const groupId = uniqueName("pipeline-lag");
    groups.push(groupId);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Partition 0 committed at 7 (three to go); partition 1 never committed, its first record deleted.
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: "7" }] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: "1" }] });
    } finally {
      await admin.disconnect();
    }
    // A throwaway read-to-end group on the same topic: not part of the pipeline, left out.
    await readTopicToEnd(kafka, topic, async () => undefined);

    const lags = await consumerLag(kafka);
    expect(groupOf(lags, groupId)).toEqual({
      groupId,
      state: "Empty",
      partitions: [
        { topic, partition: 0, committed: "7", end: "10", lag: 3 },
        { topic, partition: 1, committed: null, end: "4", lag: 3 },
      ],
      totalLag: 6,
    });
    expect(lags.filter((lag) => lag.groupId.startsWith("read-to-end-"))).toEqual([]);
    expect(lags.map((lag) => lag.groupId)).toEqual(lags.map((lag) => lag.groupId).sort());
  });

  it("follows a live group as it consumes, with its state", async () => {
    const [, topic = ""] = topics.names;
    const groupId = uniqueName("pipeline-live");
    groups.push(groupId);
    let seen = 0;
    consumer = await startConsumer(kafka, {
      groupId,
      topics: [topic],
      eachMessage: async () => {
        seen += 1;
      },
    });
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `m${i}` })),
    });
    await expect.poll(() => seen, { timeout: 30_000 }).toBe(6);
    await expect
      .poll(async () => groupOf(await consumerLag(kafka), groupId), { timeout: 30_000, interval: 500 })
      .toEqual({
        groupId,
        state: "Stable",
        partitions: [
          { topic, partition: 0, committed: "3", end: "3", lag: 0 },
          { topic, partition: 1, committed: "3", end: "3", lag: 0 },
        ],
        totalLag: 0,
      });
  });

  it("tallies dead letters by reason from the topic's beginning, by headers only, never the content", async () => {
    const [source = "", , deadLetterTopic = ""] = topics.names;
    const tooLong = "invalid event: data.utterances: too many";
    const refused = "rejected by the database: 23514 (test_constraint)";
    const letters = (from: number, reasons: readonly string[]) =>
      reasons.map((reason, i) => letterFor(source, from + i, reason));

    // Three before the watch starts (it reads from the beginning), two while it watches.
    await producer.send({ topic: deadLetterTopic, acks: -1, messages: letters(0, [tooLong, refused, tooLong]) });
    const watch = new DeadLetterWatch();
    const small = new DeadLetterWatch({ recentLimit: 2 });
    watches.push(watch, small);
    await watch.start(kafka, deadLetterTopic);
    await small.start(kafka, deadLetterTopic);
    await producer.send({ topic: deadLetterTopic, acks: -1, messages: letters(3, [tooLong, refused]) });

    await expect.poll(() => watch.snapshot().total, { timeout: 30_000 }).toBe(5);
    await expect.poll(() => small.snapshot().total, { timeout: 30_000 }).toBe(5);
    const snapshot = watch.snapshot();
    expect(snapshot.byReason).toEqual([
      { reason: tooLong, count: 3 },
      { reason: refused, count: 2 },
    ]);
    expect(Date.parse(snapshot.since)).not.toBeNaN();
    expect(snapshot.recent).toHaveLength(5);
    expect(snapshot.recent.map((letter) => letter.originalOffset).sort()).toEqual(["100", "101", "102", "103", "104"]);
    expect(snapshot.recent.find((letter) => letter.originalOffset === "101")).toEqual({
      partition: 1,
      offset: "0",
      reason: refused,
      type: "evoke.transcript.submitted",
      source: "urn:test:clinic",
      time: undefined,
      deadLetteredAt: "2026-01-01T00:01:00.000Z",
      originalTopic: source,
      originalPartition: 1,
      originalOffset: "101",
      consumer: "evoke-test",
    });
    // Per partition, newest first.
    for (const partition of [0, 1]) {
      const offsets = snapshot.recent.filter((letter) => letter.partition === partition).map((l) => Number(l.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => b - a));
    }
    expect(small.snapshot().recent).toHaveLength(2);

    // Neither the value nor the key, in any form.
    for (const shown of [snapshot, small.snapshot()]) {
      const json = JSON.stringify(shown);
      expect(json).not.toContain(SECRET);
      expect(json).not.toContain(Buffer.from(SECRET).toString("base64"));
      expect(json).not.toContain('utterances":');
    }

    // Its group commits nothing: the lag page shows it without partitions.
    const ownGroup = watch.groupId ?? "";
    expect(ownGroup).toMatch(/^evoke-dashboard-dlq-/);
    const lag = groupOf(await consumerLag(kafka), ownGroup);
    expect(lag).toMatchObject({ groupId: ownGroup, partitions: [], totalLag: 0 });

    await watch.stop();
    await watch.stop();
    expect(watch.snapshot().total).toBe(5);
  });

  it("counts the events recorded per hour and type, the window's totals, and the model versions that count", async () => {
    const { events, expected } = await clinicHistory(4);
    await database.db.transaction((tx) => recordEvents(tx, events));
    const pings = ["ping_1", "ping_2", "ping_3"].map((id) => ({
      source: "urn:test:ping",
      id,
      type: "evoke.test.ping",
    }));
    await database.db.transaction(async (tx) => {
      for (const ping of pings) await recordProcessedEvent(tx, ping);
    });

    // The clinic's events recorded at fixed times in 2020; the pings just now.
    const now = new Date("2020-03-02T12:30:00Z");
    const placed: Record<string, string> = {
      "evoke.session.scheduled": "2020-03-02T12:10:00Z",
      "evoke.session.attended": "2020-03-02T10:59:59Z",
      "evoke.transcript.submitted": "2020-03-01T13:00:00Z", // the window's first instant
      "evoke.client.discharged": "2020-03-01T12:59:59Z", // just before it
      "evoke.session.coded": "2020-03-02T12:45:00Z", // after `now`
    };
    const elsewhere = "2020-03-02T11:15:00Z";
    const sql = database.sql;
    // The ledger's per-minute counts moved with the events: each type was recorded in one
    // transaction, so in one minute's row.
    const counted = await sql<{ type: string; events: number }[]>`
      select event_type as type, sum(events)::int as events from processed_event_minutes group by 1 order by 1`;
    const ledger = await sql<{ type: string; events: number }[]>`
      select event_type as type, count(*)::int as events from processed_events group by 1 order by 1`;
    expect(counted).toEqual(ledger);
    for (const [type, at] of Object.entries(placed)) {
      await sql`update processed_event_minutes set minute = date_trunc('minute', ${at}::timestamptz) where event_type = ${type}`;
    }
    await sql`update processed_event_minutes set minute = ${elsewhere}::timestamptz
      where event_type <> 'evoke.test.ping' and event_type <> all(${Object.keys(placed)}::text[])`;

    const countOf = (type: string) => events.filter((event) => event.type === type).length;
    const types = [...new Set(events.map((event) => event.type))];
    const hourOf = (at: string) => `${at.slice(0, 13)}:00:00.000Z`;
    const expectedHours = types
      .filter((type) => type !== "evoke.client.discharged" && type !== "evoke.session.coded")
      .map((type) => ({ hour: hourOf(placed[type] ?? elsewhere), type, events: countOf(type) }))
      .sort((a, b) => a.hour.localeCompare(b.hour) || a.type.localeCompare(b.type));

    const activity = await pipelineActivity(database.db, { now, modelVersionsSince: new Date(0) });
    expect(activity.eventsPerHour).toEqual(expectedHours);
    expect(activity.totals).toEqual(
      expectedHours
        .map((row) => ({ type: row.type, events: row.events }))
        .sort((a, b) => b.events - a.events || a.type.localeCompare(b.type)),
    );
    // Model versions count as in use by their recent codings only (the clinic's are from 2026).
    const later = await pipelineActivity(database.db, { now, modelVersionsSince: new Date("2026-03-01T00:00:00Z") });
    expect(later.modelVersions).toEqual([]);
    expect(activity.humanRatings).toBe(expected.humanRated);

    // Two hours: the one containing `now` and the one before.
    const twoHours = await pipelineActivity(database.db, { now, hours: 2 });
    expect(twoHours.eventsPerHour).toEqual(expectedHours.filter((row) => row.hour >= "2020-03-02T11"));

    // By default the last 24 hours up to now: only the pings.
    const recent = await pipelineActivity(database.db, {});
    expect(recent.eventsPerHour.map((row) => row.type)).toEqual(recent.eventsPerHour.map(() => "evoke.test.ping"));
    expect(recent.eventsPerHour.reduce((sum, row) => sum + row.events, 0)).toBe(3);

    // Model versions, worked out from the events: a session counts its human rating if it has
    // one, else its latest automatic coding.
    const coded = events.filter(
      (event): event is Extract<EvokeEvent, { type: "evoke.session.coded" }> => event.type === "evoke.session.coded",
    );
    const rated = new Set(
      events.flatMap((event) => (event.type === "evoke.fidelity.rated" ? [event.data.sessionId] : [])),
    );
    const counting = new Map<string, (typeof coded)[number]>();
    for (const coding of coded) {
      if (rated.has(coding.data.sessionId)) continue;
      const current = counting.get(coding.data.sessionId);
      if (current === undefined || Date.parse(coding.data.codedAt) > Date.parse(current.data.codedAt))
        counting.set(coding.data.sessionId, coding);
    }
    const versions = [...new Set(coded.map((coding) => coding.data.modelVersion))];
    expect(versions).toHaveLength(2);
    const expectedVersions = versions
      .map((modelVersion) => {
        const own = coded.filter((coding) => coding.data.modelVersion === modelVersion);
        return {
          modelVersion,
          codings: own.length,
          sessionsCounting: [...counting.values()].filter((coding) => coding.data.modelVersion === modelVersion).length,
          lastCodedAt: new Date(Math.max(...own.map((coding) => Date.parse(coding.data.codedAt)))).toISOString(),
        };
      })
      .sort((a, b) => b.lastCodedAt.localeCompare(a.lastCodedAt) || a.modelVersion.localeCompare(b.modelVersion));
    expect(activity.modelVersions).toEqual(expectedVersions);
    expect(expectedVersions.every((version) => version.sessionsCounting > 0)).toBe(true);
    expect(expectedVersions.reduce((sum, version) => sum + version.sessionsCounting, 0) + rated.size).toBe(
      expected.attended,
    );
  });
});

describe("dashboard dead-letter watch while its broker is away", () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  let brokerOptions: { dir: string; port: number; controllerPort: number };
  let broker: LocalBroker | undefined;
  let kafka: Kafka;
  const watch = new DeadLetterWatch({ restartDelayMs: 500 });
  const TOPIC = "evoke.dlq.v1";

  beforeAll(async () => {
    sandbox = await isolatedInfrastructure();
    brokerOptions = { dir: `${sandbox.dataDir}/kafka`, port: await freePort(), controllerPort: await freePort() };
    broker = await startLocalBroker(brokerOptions);
    // Few retries, so that the consumer crashes and is restarted during the outage: it then reads
    // the topic from the beginning again, nothing having been committed.
    kafka = createKafkaClient({ brokers: [`127.0.0.1:${brokerOptions.port}`], clientId: "dlq-watch", retries: 2 });
    await ensureTopics(kafka, [{ name: TOPIC, partitions: 2 }]);
  });

  afterAll(async () => {
    await watch.stop();
    await broker?.lease.release();
    await sandbox?.remove();
  });

  async function produce(from: number, count: number): Promise<void> {
    const producer = createProducer(kafka);
    await producer.connect();
    try {
      await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => letterFor("evoke.intake.v1", from + i, "invalid event")),
      });
    } finally {
      await producer.disconnect();
    }
  }

  it("keeps its tally through the outage, counts each dead letter once, and carries on when the broker returns", async () => {
    await produce(0, 3);
    await watch.start(kafka, TOPIC);
    await expect.poll(() => watch.snapshot().total, { timeout: 30_000 }).toBe(3);

    await broker?.lease.release(); // stops it: this suite is its only user
    broker = undefined;
    // Long enough for the consumer's retries to run out, many times over.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect(watch.snapshot()).toMatchObject({ total: 3, byReason: [{ reason: "invalid event", count: 3 }] });

    broker = await startLocalBroker(brokerOptions);
    await produce(3, 2);
    await expect.poll(() => watch.snapshot().total, { timeout: 90_000, interval: 500 }).toBe(5);
    // Re-reading from the beginning after the restart counted nothing twice.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const snapshot = watch.snapshot();
    expect(snapshot.total).toBe(5);
    expect(snapshot.recent).toHaveLength(5);
    expect(JSON.stringify(snapshot)).not.toContain(SECRET);
  }, 240_000);
});
