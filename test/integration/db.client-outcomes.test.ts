import { recordEvents } from "@evoke/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { numberedEvents } from "../support/fixture-event.ts";

/*
 * The per-episode rollups: which episode a session or measure belongs to when a client is
 * enrolled twice, and readiness change across a change of scale and for URICA's composite.
 */

const numbered = numberedEvents("urn:test", "e");
const event = (type: string, time: string, data: Record<string, unknown>) => numbered(type, time, data, data.clientId);

const who = { clientId: "cli_1", programmeId: "prg_1" };
const attended = (sessionId: string, at: string, therapistId: string) =>
  event("evoke.session.attended", at, { ...who, sessionId, therapistId, occurredAt: at });
const ruler = (at: string, readiness: number, scale?: { min: number; max: number }) =>
  event("evoke.readiness.measured", at, {
    ...who,
    measuredAt: at,
    instrument: "readiness-ruler",
    scores: {
      importance: { value: 5 },
      confidence: { value: 5 },
      readiness: { value: readiness, ...(scale ?? {}) },
    },
  });

describe("client outcome rollups", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("outcomes");
    const events = [
      event("evoke.client.enrolled", "2026-01-10T00:00:00Z", { ...who, enrolledAt: "2026-01-10T00:00:00Z" }),
      // An intake session logged a day before the enrolment: still the first episode's.
      attended("s0", "2026-01-09T10:00:00Z", "thr_a"),
      attended("s1", "2026-01-17T10:00:00Z", "thr_a"),
      attended("s2", "2026-01-24T10:00:00Z", "thr_b"),
      event("evoke.session.missed", "2026-01-31T10:00:00Z", {
        ...who,
        sessionId: "s3",
        scheduledAt: "2026-01-31T10:00:00Z",
      }),
      ruler("2026-01-10T00:00:00Z", 3, { min: 1, max: 10 }),
      ruler("2026-02-01T00:00:00Z", 7),
      event("evoke.client.discharged", "2026-02-05T00:00:00Z", {
        ...who,
        dischargedAt: "2026-02-05T00:00:00Z",
        reason: "dropped_out",
      }),
      // Back three months later: a second episode with its own sessions and measures.
      event("evoke.client.enrolled", "2026-05-01T00:00:00Z", { ...who, enrolledAt: "2026-05-01T00:00:00Z" }),
      attended("s4", "2026-05-08T10:00:00Z", "thr_b"),
      event("evoke.readiness.measured", "2026-05-01T00:00:00Z", {
        ...who,
        measuredAt: "2026-05-01T00:00:00Z",
        instrument: "urica",
        scores: {
          precontemplation: { value: 2 },
          contemplation: { value: 4 },
          action: { value: 3 },
          maintenance: { value: 2.5 },
        },
      }),
    ];
    await database.db.transaction((tx) => recordEvents(tx, events));
  });

  afterAll(async () => {
    await database?.drop();
  });

  // Timestamps come back as PostgreSQL prints them (drizzle's connection leaves parsing to drizzle).
  it("splits sessions between a client's episodes by enrolment", async () => {
    const rows = await database.sql`
      select enrolled_at, discharge_reason, therapist_id, sessions_attended, sessions_missed,
             first_attended_at, last_attended_at
      from client_outcomes order by enrolled_at`;
    expect(rows).toEqual([
      {
        enrolled_at: "2026-01-10 00:00:00+00",
        discharge_reason: "dropped_out",
        // thr_a saw two of the three attended sessions.
        therapist_id: "thr_a",
        sessions_attended: 3,
        sessions_missed: 1,
        first_attended_at: "2026-01-09 10:00:00+00",
        last_attended_at: "2026-01-24 10:00:00+00",
      },
      {
        enrolled_at: "2026-05-01 00:00:00+00",
        discharge_reason: null,
        therapist_id: "thr_b",
        sessions_attended: 1,
        sessions_missed: 0,
        first_attended_at: "2026-05-08 10:00:00+00",
        last_attended_at: "2026-05-08 10:00:00+00",
      },
    ]);
  });

  it("measures readiness change within an episode, across a change of scale", async () => {
    const [readiness] = await database.sql`
      select first_value, latest_value, scale_min, scale_max, change from readiness_changes
      where instrument = 'readiness-ruler' and item = 'readiness'`;
    // 3 on 1-10 is 2/9 of the way up; on 0-10 that is 2.222…, so the change is 7 − 2.222….
    expect(readiness).toMatchObject({ first_value: 3, latest_value: 7, scale_min: 0, scale_max: 10 });
    expect(readiness?.change).toBeCloseTo(7 - 20 / 9, 4);
  });

  it("derives URICA's readiness composite, C + A + M − PC, on its -2 to 14 scale", async () => {
    const [urica] = await database.sql`
      select enrolled_at, first_value, scale_min, scale_max, change from readiness_changes
      where instrument = 'urica' and item = 'readiness'`;
    expect(urica).toEqual({
      enrolled_at: "2026-05-01 00:00:00+00",
      first_value: 7.5,
      scale_min: -2,
      scale_max: 14,
      change: 0,
    });
  });
});
