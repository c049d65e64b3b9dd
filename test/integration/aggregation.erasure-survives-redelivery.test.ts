import { type RunningSink, startSink } from "@evoke/aggregation";
import { clientOf, eraseClient } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import { createProducer, type Kafka } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishEvents, recordReference, waitForProcessed } from "../support/aggregation.ts";
import { clinicHistory, shuffle } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { snapshot, totals } from "../support/history.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * Erasure on request: one client of a small clinic is erased after the sink has aggregated it,
 * then every one of that client's events is delivered again through Kafka, as they were and as
 * a replay from upstream would send them (new ids). Afterwards the history equals that of a clinic
 * which never had the client (recorded straight into a reference database), and no text column
 * of any table but the tombstone holds the client's id or a session id of theirs.
 */

/** Every (table, column) of text-like type in the public schema where `needle` occurs. */
async function traces(sql: postgres.Sql, needle: string, except: readonly string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
      and table_name <> all(${except as string[]})`;
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [row] = await sql.unsafe(
      `select count(*)::int as n from "${table}" where position($1 in "${column}"::text) > 0`,
      [needle],
    );
    if ((row?.n ?? 0) > 0) found.push(`${table}.${column}`);
  }
  return found;
}

describe("aggregation: an erased client stays erased through a redelivery", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let neverHad: TestDatabase;
  let sinkDatabase: TestDatabase;
  let sink: RunningSink;
  let events: EvokeEvent[];
  let erasedEvents: EvokeEvent[];
  let erasedSessions: string[];
  /** A client with a human rating that names only its session. */
  let ERASED: string;

  beforeAll(async () => {
    ({ events } = await clinicHistory(4));
    const sessionOf = (event: EvokeEvent) => (event.data as { sessionId?: string }).sessionId;
    const rated = events.find((event) => event.type === "evoke.fidelity.rated" && event.subject === undefined);
    const ratedSession = rated && events.find((event) => clientOf(event) && sessionOf(event) === sessionOf(rated));
    ERASED = (ratedSession && clientOf(ratedSession)) ?? "no client with a subject-less rating";
    erasedSessions = [
      ...new Set(events.filter((event) => clientOf(event) === ERASED).flatMap((event) => sessionOf(event) ?? [])),
    ];
    erasedEvents = events.filter(
      (event) => clientOf(event) === ERASED || erasedSessions.includes(sessionOf(event) ?? ""),
    );
    kafka = testKafka("erasure");
    topics = await createTestTopics(kafka, "erasure", { count: 3, partitions: 2 });
    neverHad = await createTestDatabase("erasure_never_had");
    sinkDatabase = await createTestDatabase("erasure_sink");
    await recordReference(
      neverHad.db,
      events.filter((event) => !erasedEvents.includes(event)),
    );
    const [intake = "", coded = "", deadLetter = ""] = topics.names;
    sink = await startSink({
      kafka,
      db: sinkDatabase.db,
      topics: { sources: [intake, coded], deadLetter },
      logger: createLogger({ name: "aggregation", level: "silent" }),
      groupId: uniqueName("erasure"),
    });
  }, 120_000);

  afterAll(async () => {
    await sink?.stop();
    await topics?.drop();
    await neverHad?.drop();
    await sinkDatabase?.drop();
  });

  it("has a fixture where the erased client has sessions, transcripts, codings, a subject-less rating, readiness", () => {
    const types = new Set(erasedEvents.map((event) => event.type));
    for (const type of [
      "evoke.client.enrolled",
      "evoke.session.attended",
      "evoke.transcript.submitted",
      "evoke.session.coded",
      "evoke.fidelity.rated",
      "evoke.readiness.measured",
    ])
      expect(types).toContain(type);
    expect(erasedEvents.some((event) => event.type === "evoke.fidelity.rated" && event.subject === undefined)).toBe(
      true,
    );
  });

  it("erases the client, and their events delivered again do not bring them back", async () => {
    const [intake = "", coded = ""] = topics.names;
    const producer = createProducer(kafka);
    await producer.connect();
    const send = (batch: readonly EvokeEvent[]) => publishEvents(producer, { intake, coded }, batch);
    await send(shuffle(events, 3));
    await waitForProcessed(sinkDatabase.sql, events.length);
    expect(await snapshot(sinkDatabase.sql)).not.toEqual(await snapshot(neverHad.sql));
    expect(await traces(sinkDatabase.sql, ERASED, ["processed_events"])).not.toEqual([]);

    const erased = await eraseClient(sinkDatabase.db, { clientId: ERASED, erasedBy: "test-director" });
    expect(erased?.newlyErased).toBe(true);
    for (const table of [
      "clients",
      "enrolment_events",
      "episodes",
      "session_events",
      "sessions",
      "transcripts",
      "session_codings",
      "session_fidelity",
      "readiness_measurements",
      "client_outcomes",
      "readiness_changes",
    ])
      expect(erased?.removed[table], table).toBeGreaterThan(0);
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(neverHad.sql));

    // Redelivered as they were (duplicates by id) and replayed under new ids (the tombstone).
    const replayed = erasedEvents.map((event) => ({ ...event, id: `replay-${event.id}` }) as EvokeEvent);
    // Ratings that name only their session go last, in batches of their own: nothing else in the
    // batch names the client, so only the tombstone's session ids can stop them.
    const sessionOnly = (event: EvokeEvent) => event.type === "evoke.fidelity.rated" && event.subject === undefined;
    const first = replayed.filter((event) => !sessionOnly(event));
    const last = replayed.filter(sessionOnly);
    expect(last.length).toBeGreaterThan(0);
    await send(shuffle([...erasedEvents, ...first], 11));
    await expect
      .poll(() => ({ duplicates: sink.stats.duplicates, erased: sink.stats.erased }), { timeout: 60_000 })
      .toEqual({ duplicates: erasedEvents.length, erased: first.length });
    await send(last);
    await expect
      .poll(() => sink.stats.erased + sink.stats.applied, { timeout: 60_000 })
      .toBe(events.length + replayed.length);
    expect(sink.stats.erased).toBe(replayed.length);
    await waitForProcessed(sinkDatabase.sql, events.length + replayed.length);
    expect(sink.stats.deadLettered).toBe(0);

    const {
      processed_events: _sinkProcessed,
      processed_event_minutes: _sinkCounted,
      ...sinkTotals
    } = await totals(sinkDatabase.sql);
    const {
      processed_events: _referenceProcessed,
      processed_event_minutes: _referenceCounted,
      ...referenceTotals
    } = await totals(neverHad.sql);
    expect(sinkTotals).toEqual(referenceTotals);
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(neverHad.sql));
    expect(await traces(sinkDatabase.sql, ERASED, ["erased_clients", "access_audit"])).toEqual([]);
    for (const sessionId of erasedSessions)
      expect(await traces(sinkDatabase.sql, sessionId, ["erased_clients", "processed_events"]), sessionId).toEqual([]);
    const [tombstone] = await sinkDatabase.sql`select client_id, erased_by from erased_clients`;
    expect(tombstone).toEqual({ client_id: ERASED, erased_by: "test-director" });
    await producer.disconnect();
  });

  it("erases twice without harm, and knows no client it never saw", async () => {
    const again = await eraseClient(sinkDatabase.db, { clientId: ERASED, erasedBy: "someone-else" });
    expect(again?.newlyErased).toBe(false);
    expect(again?.erasedBy).toBe("test-director");
    expect(Object.values(again?.removed ?? { none: -1 }).every((count) => count === 0)).toBe(true);
    expect(await snapshot(sinkDatabase.sql)).toEqual(await snapshot(neverHad.sql));
    expect(await eraseClient(sinkDatabase.db, { clientId: "cli_never", erasedBy: "test-director" })).toBeUndefined();
  });
});
