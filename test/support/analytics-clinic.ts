import type { EvokeEvent } from "@evoke/events";
import { numberedEvents } from "./fixture-event.ts";

/*
 * A seven-client clinic small enough to work every analytic out by hand: the expected figures
 * in test/integration/analytics.*.test.ts come from this description (and, for the tests and
 * regressions, from SciPy on the same numbers). Days count from each client's enrolment.
 *
 * client programme referral enrolled   sessions (day: therapist technical/relational)      discharge            ruler readiness
 * c1     P1        gp       2026-01-01 d7: T1 2.0/3.0                                        d20 dropped_out      3 → 4
 * c2     P1        gp       2026-01-01 d7: T1 3.0/4.0 human (model 3.5/4.0); d35: T1 4.5/4.5; in care            2 → 7
 *                                      d100: T1 attended, not coded
 * c3     P1        self     2026-02-01 d10: T2 3.0/3.5; d24 missed                          d50 dropped_out      5 → 5
 * c4     P1        self     2026-03-01 d7: T2 3.5/4.0 human (model 4.0/4.0); d21: T2 4.5/4.0 d70 completed        4 → 8
 * c5     P2        gp       2026-04-01 d5: T3 2.5/2.5                                        d45 transferred      6 → 5
 * c6     P2        self     2026-06-15 d3: T3 3.0/4.0                                        in care              5 (once)
 * c7     P2        self     2026-01-10 d7, d30: T3 attended, not coded                      d90 dropped_out      —
 *
 * The analysis date is 2026-07-01. Attended sessions last 40 minutes; human ratings cover 20.
 */

export const AS_OF = new Date("2026-07-01T00:00:00Z");

const event = numberedEvents("urn:test:analytics", "evt_");

const DAY = 86_400_000;
const at = (enrolled: string, days: number, hour = 10) =>
  new Date(Date.parse(enrolled) + days * DAY + hour * 3_600_000).toISOString();

interface Client {
  readonly id: string;
  readonly programme: string;
  readonly referral: string;
  readonly enrolled: string;
}

function enrol(client: Client): EvokeEvent[] {
  const { id: clientId, programme: programmeId } = client;
  return [
    event(
      "evoke.client.enrolled",
      client.enrolled,
      { clientId, programmeId, enrolledAt: client.enrolled, referralSource: client.referral, focus: "alcohol" },
      clientId,
    ),
  ];
}

function attend(client: Client, day: number, therapistId: string, sessionId: string): EvokeEvent {
  const { id: clientId, programme: programmeId } = client;
  return event(
    "evoke.session.attended",
    at(client.enrolled, day),
    { sessionId, clientId, therapistId, programmeId, occurredAt: at(client.enrolled, day), durationMinutes: 40 },
    clientId,
  );
}

const COUNTS = {
  givingInformation: 4,
  persuade: 0,
  persuadeWithPermission: 1,
  question: 10,
  simpleReflection: 6,
  complexReflection: 6,
  affirm: 2,
  seekingCollaboration: 2,
  emphasizingAutonomy: 1,
  confront: 0,
};

/** An automatic coding with the given summary scores (each global set to its summary). */
function coded(
  client: Client,
  day: number,
  therapistId: string,
  sessionId: string,
  technical: number,
  relational: number,
) {
  const { id: clientId, programme: programmeId } = client;
  const verdict = (value: number, fair: number, good: number) =>
    value >= good ? "good" : value >= fair ? "fair" : "below fair";
  return event(
    "evoke.session.coded",
    at(client.enrolled, day, 11),
    {
      sessionId,
      clientId,
      therapistId,
      programmeId,
      transcript: { source: "urn:test:analytics", id: `tr_${sessionId}` },
      modelVersion: "model-a",
      codedAt: at(client.enrolled, day, 11),
      thresholds: "manual",
      utterances: [],
      summary: {
        counts: COUNTS,
        volleys: 20,
        reflectionToQuestion: 1.2,
        percentComplexReflections: 50,
        percentChangeTalk: 60,
        totalMiAdherent: 5,
        totalMiNonAdherent: 0,
        globals: {
          cultivatingChangeTalk: technical,
          softeningSustainTalk: technical,
          partnership: relational,
          empathy: relational,
        },
        technical,
        relational,
        verdicts: {
          technical: verdict(technical, 3, 4),
          relational: verdict(relational, 3.5, 4),
          percentComplexReflections: "good",
          reflectionToQuestion: "fair",
        },
      },
    },
    clientId,
  );
}

function rated(client: Client, day: number, sessionId: string, globals: Record<string, number>) {
  return event("evoke.fidelity.rated", at(client.enrolled, day + 1), {
    sessionId,
    coderId: "coder_1",
    instrument: "MITI-4.2.1",
    globals,
    counts: { ...COUNTS, question: 6, simpleReflection: 4 },
    segmentMinutes: 20,
  });
}

function ruler(client: Client, day: number, readiness: number): EvokeEvent {
  const { id: clientId, programme: programmeId } = client;
  return event(
    "evoke.readiness.measured",
    at(client.enrolled, day, 9),
    {
      clientId,
      programmeId,
      measuredAt: at(client.enrolled, day, 9),
      instrument: "readiness-ruler",
      scores: { importance: { value: 5 }, confidence: { value: 5 }, readiness: { value: readiness } },
    },
    clientId,
  );
}

function discharge(client: Client, day: number, reason: string): EvokeEvent {
  const { id: clientId, programme: programmeId } = client;
  const dischargedAt = new Date(Date.parse(client.enrolled) + day * DAY).toISOString();
  return event("evoke.client.discharged", dischargedAt, { clientId, programmeId, dischargedAt, reason }, clientId);
}

export function analyticsClinic(): EvokeEvent[] {
  const c1 = { id: "c1", programme: "P1", referral: "gp", enrolled: "2026-01-01T00:00:00.000Z" };
  const c2 = { id: "c2", programme: "P1", referral: "gp", enrolled: "2026-01-01T00:00:00.000Z" };
  const c3 = { id: "c3", programme: "P1", referral: "self", enrolled: "2026-02-01T00:00:00.000Z" };
  const c4 = { id: "c4", programme: "P1", referral: "self", enrolled: "2026-03-01T00:00:00.000Z" };
  const c5 = { id: "c5", programme: "P2", referral: "gp", enrolled: "2026-04-01T00:00:00.000Z" };
  const c6 = { id: "c6", programme: "P2", referral: "self", enrolled: "2026-06-15T00:00:00.000Z" };
  const c7 = { id: "c7", programme: "P2", referral: "self", enrolled: "2026-01-10T00:00:00.000Z" };
  return [
    event("evoke.programme.registered", "2026-01-01T00:00:00Z", { programmeId: "P1", name: "Alcohol service" }),
    event("evoke.programme.registered", "2026-01-01T00:00:00Z", { programmeId: "P2", name: "Smoking service" }),
    ...enrol(c1),
    attend(c1, 7, "T1", "s1"),
    coded(c1, 7, "T1", "s1", 2.0, 3.0),
    ruler(c1, 0, 3),
    ruler(c1, 14, 4),
    discharge(c1, 20, "dropped_out"),
    ...enrol(c2),
    attend(c2, 7, "T1", "s2a"),
    coded(c2, 7, "T1", "s2a", 3.5, 4.0),
    rated(c2, 7, "s2a", { cultivatingChangeTalk: 3, softeningSustainTalk: 3, partnership: 4, empathy: 4 }),
    attend(c2, 35, "T1", "s2b"),
    coded(c2, 35, "T1", "s2b", 4.5, 4.5),
    attend(c2, 100, "T1", "s2c"),
    ruler(c2, 0, 2),
    ruler(c2, 60, 7),
    ...enrol(c3),
    attend(c3, 10, "T2", "s3"),
    coded(c3, 10, "T2", "s3", 3.0, 3.5),
    event(
      "evoke.session.missed",
      at(c3.enrolled, 24),
      { sessionId: "s3b", clientId: "c3", programmeId: "P1", scheduledAt: at(c3.enrolled, 24) },
      "c3",
    ),
    ruler(c3, 0, 5),
    ruler(c3, 30, 5),
    discharge(c3, 50, "dropped_out"),
    ...enrol(c4),
    attend(c4, 7, "T2", "s4a"),
    coded(c4, 7, "T2", "s4a", 4.0, 4.0),
    rated(c4, 7, "s4a", { cultivatingChangeTalk: 4, softeningSustainTalk: 3, partnership: 4, empathy: 4 }),
    attend(c4, 21, "T2", "s4b"),
    coded(c4, 21, "T2", "s4b", 4.5, 4.0),
    ruler(c4, 0, 4),
    ruler(c4, 60, 8),
    discharge(c4, 70, "completed"),
    ...enrol(c5),
    attend(c5, 5, "T3", "s5"),
    coded(c5, 5, "T3", "s5", 2.5, 2.5),
    ruler(c5, 0, 6),
    ruler(c5, 30, 5),
    discharge(c5, 45, "transferred"),
    ...enrol(c6),
    attend(c6, 3, "T3", "s6"),
    coded(c6, 3, "T3", "s6", 3.0, 4.0),
    ruler(c6, 0, 5),
    ...enrol(c7),
    attend(c7, 7, "T3", "s7a"),
    attend(c7, 30, "T3", "s7b"),
    discharge(c7, 90, "dropped_out"),
  ];
}
