import { recordEvents } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsClinic } from "../support/analytics-clinic.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * Two transactions recording facts about the same session at once (the sink records several
 * partitions in parallel, and may run as several instances): the one that rebuilds second must
 * see the other's facts, whatever the timing. Here a session's attendance and its coding are
 * recorded together, the attendance transaction held open until the coding's has started.
 */

const session = (events: EvokeEvent[], type: string) =>
  events.find(
    (event) => event.type === type && (event.data as { sessionId?: string }).sessionId === "s1",
  ) as EvokeEvent;

describe("concurrent transactions rebuilding the same session", () => {
  let database: TestDatabase;
  let attended: EvokeEvent;
  let coded: EvokeEvent;

  beforeAll(async () => {
    database = await createTestDatabase("concurrent");
    const events = analyticsClinic();
    attended = session(events, "evoke.session.attended");
    coded = session(events, "evoke.session.coded");
    // The client, programme and therapist are known already, so neither transaction waits on
    // the other's directory rows: only the rebuild lock can order them.
    const known = events.filter((event) => event.type === "evoke.client.enrolled" && event.subject === "c1");
    await database.db.transaction((tx) => recordEvents(tx, known));
    await database.sql`insert into therapists (therapist_id) values ('T1')`;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("gives the session its attended time and therapist whichever commits first", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let recordedAttendance: () => void = () => undefined;
    const attendanceRecorded = new Promise<void>((resolve) => {
      recordedAttendance = resolve;
    });
    const first = database.db.transaction(async (tx) => {
      await recordEvents(tx, [attended]);
      recordedAttendance();
      await held;
    });
    await attendanceRecorded;
    // The coding's transaction runs while the attendance is recorded but not yet committed.
    const second = database.db.transaction((tx) => recordEvents(tx, [coded]));
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await Promise.all([first, second]);

    const [row] = await database.sql`
      select session_time::text, therapist_id, kind from session_fidelity where session_id = 's1'`;
    // The attended time (10:00), not the coding event's (11:00).
    expect(row).toEqual({ session_time: "2026-01-08 10:00:00+00", therapist_id: "T1", kind: "automatic" });
    const [outcome] = await database.sql`select sessions_attended, coded_sessions from client_outcomes`;
    expect(outcome).toEqual({ sessions_attended: 1, coded_sessions: 1 });
  });
});
