import { type RunningSink, startSink } from "@evoke/aggregation";
import type { EvokeEvent } from "@evoke/events";
import { createProducer, type Kafka } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishEvents, recordReference, waitForProcessed } from "../support/aggregation.ts";
import { type ClinicEvents, clinicHistory, shuffle } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { snapshot, totals } from "../support/history.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * The history converges to one state whatever the arrival order, and every event has exactly one
 * effect however often it is delivered. The reference is the same events applied in their
 * natural order straight to another database; the sink gets them shuffled, every one twice,
 * through Kafka.
 */

describe("aggregation: any order, exactly once", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let reference: TestDatabase;
  let sinkDatabase: TestDatabase;
  let sinks: RunningSink[] = [];
  let events: EvokeEvent[];
  let expected: ClinicEvents["expected"];

  beforeAll(async () => {
    ({ events, expected } = await clinicHistory());
    kafka = testKafka("aggregation");
    topics = await createTestTopics(kafka, "aggregation", { count: 3, partitions: 3 });
    reference = await createTestDatabase("aggregation_reference");
    sinkDatabase = await createTestDatabase("aggregation_sink");
    await recordReference(reference.db, events);
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    // Two members of one group, each recording its partitions in transactions of its own:
    // concurrent rebuilds of the same sessions and clients must still converge.
    const groupId = uniqueName("aggregation");
    sinks = await Promise.all(
      [1, 2].map(() =>
        startSink({
          kafka,
          db: sinkDatabase.db,
          topics: { sources: [intake, coded], deadLetter },
          logger: createLogger({ name: "aggregation", level: "silent" }),
          groupId,
        }),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(sinks.map((sink) => sink.stop()));
    await topics?.drop();
    await reference?.drop();
    await sinkDatabase?.drop();
  });

  it("ends in the reference state from shuffled, duplicated events, and ignores a full redelivery", async () => {
    const [intake = "", coded = ""] = topics.names;
    const producer = createProducer(kafka);
    await producer.connect();
    const send = (batch: readonly EvokeEvent[]) => publishEvents(producer, { intake, coded }, batch);
    await send(shuffle([...events, ...events], 42));
    await waitForProcessed(sinkDatabase.sql, events.length);
    expect(await totals(sinkDatabase.sql)).toEqual(await totals(reference.sql));
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(reference.sql));

    await send(shuffle(events, 7));
    const total = (count: "applied" | "duplicates") => sinks.reduce((sum, sink) => sum + sink.stats[count], 0);
    // At least: a rebalance between the two members may deliver a batch to both.
    await expect.poll(() => total("duplicates"), { timeout: 60_000 }).toBeGreaterThanOrEqual(2 * events.length);
    expect(total("applied")).toBe(events.length);
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(reference.sql));
    await producer.disconnect();
  });

  it("holds the facts the events describe", async () => {
    const { sql } = reference;
    const [counts] = await sql`
      select
        (select count(*)::int from programmes) as programmes,
        (select count(*)::int from therapists) as therapists,
        (select count(*)::int from clients) as clients,
        (select count(*)::int from sessions) as sessions,
        (select count(*)::int from sessions where status = 'attended') as attended,
        (select count(*)::int from episodes where discharged_at is not null) as discharged,
        (select count(*)::int from session_fidelity where kind = 'human') as human,
        (select count(*)::int from session_fidelity) as with_fidelity,
        (select count(*)::int from session_codings where kind = 'automatic') as automatic_codings`;
    expect(counts).toEqual({
      programmes: expected.programmes,
      therapists: expected.therapists,
      clients: expected.clients,
      sessions: expected.sessions,
      attended: expected.attended,
      discharged: expected.discharged,
      human: expected.humanRated,
      with_fidelity: expected.attended,
      automatic_codings: events.filter((event) => event.type === "evoke.session.coded").length,
    });
    const [names] = await sql`select string_agg(name, ', ' order by programme_id) as names from programmes`;
    expect(names?.names).toBe("Programme 1 (renamed), Programme 2 (renamed)");
    // A session with a human rating counts the human rating; one recoded counts the later model.
    const [rated] = await sql`select kind, technical, relational from session_fidelity where session_id = 'ses_0_1'`;
    expect(rated).toEqual({ kind: "human", technical: 3.5, relational: 4.5 });
    const [recoded] =
      await sql`select f.coding_id, c.model_version from session_fidelity f join session_codings c using (coding_id) where f.session_id = 'ses_0_0'`;
    expect(recoded?.model_version).not.toBe(
      (await sql`select model_version from session_codings where session_id = 'ses_0_0' order by coded_at limit 1`)[0]
        ?.model_version,
    );
    // One outcome row per episode, holding every attended and coded session.
    const [outcomes] = await sql`
      select count(*)::int as episodes, sum(sessions_attended)::int as attended, sum(coded_sessions)::int as coded
      from client_outcomes`;
    expect(outcomes).toEqual({ episodes: expected.clients, attended: expected.attended, coded: expected.attended });
    const [change] = await sql`
      select first_value, latest_value, change, measurements from readiness_changes
      where client_id = 'cli_1' and instrument = 'readiness-ruler' and item = 'importance'`;
    expect(change).toEqual({ first_value: 5, latest_value: 8, change: 3, measurements: 2 });
    // Readiness: both rulers, three items each, with their scales.
    const [readiness] =
      await sql`select count(*)::int as n, min(scale_min) as lo, max(scale_max) as hi from readiness_measurements`;
    expect(readiness).toEqual({ n: expected.clients * 2 * 3, lo: 0, hi: 10 });
  });
});
