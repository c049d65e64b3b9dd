import { type RunningSink, startSink } from "@evoke/aggregation";
import {
  fidelityByGroup,
  programmeDirectory,
  readinessChangeByProgramme,
  retentionByProgramme,
  therapistDirectory,
} from "@evoke/analytics";
import { Secret } from "@evoke/config";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForProcessed } from "../support/aggregation.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { totals } from "../support/history.ts";
import { createTestIngest, postEvents, TEST_KEY, type TestIngest } from "../support/ingest.ts";
import { createTestTopics, type TestTopics } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * One small clinic sent twice: as CloudEvents to /v1/events and as FHIR R4 to /fhir/r4, each
 * through the real ingest app, Kafka and the aggregation sink into a PostgreSQL of its own.
 * The dashboard's figures (programmes, therapists, retention, readiness change, fidelity) must
 * come out the same: the FHIR mapping means what the CloudEvents mean.
 *
 * The clinic: three clients of one service, one therapist. A attends one session (48 min),
 * misses the next, is measured twice on the readiness rulers and has a human MITI rating; B
 * cancels a session and drops out; C attends one session (50 min) and completes.
 */

const PROGRAMME = "prg_fhir_north";
const AS_OF = new Date("2026-07-01T00:00:00Z");
const EVOKE = "https://evoke.example.org/fhir";

function cloudEventsClinic(): Record<string, unknown>[] {
  let n = 0;
  const event = (type: string, data: Record<string, unknown>, subject?: string) => ({
    specversion: "1.0",
    id: `evt_same_${++n}`,
    source: "urn:clinic:north:ehr",
    type,
    time: "2026-03-01T00:00:00Z",
    ...(subject === undefined ? {} : { subject }),
    data,
  });
  const session = (sessionId: string, clientId: string) => ({ sessionId, clientId, programmeId: PROGRAMME });
  return [
    event("evoke.programme.registered", { programmeId: PROGRAMME, name: "MI brief intervention, North" }),
    event("evoke.therapist.registered", {
      therapistId: "thr_okafor",
      programmeId: PROGRAMME,
      displayName: "Ada Okafor",
    }),
    event(
      "evoke.client.enrolled",
      { clientId: "cli_a", programmeId: PROGRAMME, enrolledAt: "2026-03-02T08:15:00Z" },
      "cli_a",
    ),
    event(
      "evoke.client.enrolled",
      { clientId: "cli_b", programmeId: PROGRAMME, enrolledAt: "2026-03-03T08:15:00Z" },
      "cli_b",
    ),
    event(
      "evoke.client.discharged",
      { clientId: "cli_b", programmeId: PROGRAMME, dischargedAt: "2026-04-20T16:00:00Z", reason: "dropped_out" },
      "cli_b",
    ),
    event(
      "evoke.client.enrolled",
      { clientId: "cli_c", programmeId: PROGRAMME, enrolledAt: "2026-03-05T08:15:00Z" },
      "cli_c",
    ),
    event(
      "evoke.client.discharged",
      { clientId: "cli_c", programmeId: PROGRAMME, dischargedAt: "2026-05-01T12:00:00Z", reason: "completed" },
      "cli_c",
    ),
    event(
      "evoke.session.scheduled",
      { ...session("s1", "cli_a"), therapistId: "thr_okafor", scheduledAt: "2026-03-14T09:30:00Z" },
      "cli_a",
    ),
    event(
      "evoke.session.attended",
      { ...session("s1", "cli_a"), therapistId: "thr_okafor", occurredAt: "2026-03-14T09:30:00Z", durationMinutes: 48 },
      "cli_a",
    ),
    event(
      "evoke.session.missed",
      { ...session("s2", "cli_a"), therapistId: "thr_okafor", scheduledAt: "2026-03-21T09:30:00Z" },
      "cli_a",
    ),
    event("evoke.session.cancelled", { ...session("s3", "cli_b"), cancelledBy: "client" }, "cli_b"),
    event(
      "evoke.session.scheduled",
      { ...session("s4", "cli_c"), therapistId: "thr_okafor", scheduledAt: "2026-03-12T11:00:00Z" },
      "cli_c",
    ),
    event(
      "evoke.session.attended",
      { ...session("s4", "cli_c"), therapistId: "thr_okafor", occurredAt: "2026-03-12T11:00:00Z", durationMinutes: 50 },
      "cli_c",
    ),
    event(
      "evoke.readiness.measured",
      {
        clientId: "cli_a",
        programmeId: PROGRAMME,
        measuredAt: "2026-03-02T08:30:00Z",
        instrument: "readiness-ruler",
        scores: { importance: { value: 5 }, confidence: { value: 3 }, readiness: { value: 4 } },
      },
      "cli_a",
    ),
    event(
      "evoke.readiness.measured",
      {
        clientId: "cli_a",
        programmeId: PROGRAMME,
        measuredAt: "2026-03-14T10:15:00Z",
        sessionId: "s1",
        instrument: "readiness-ruler",
        scores: { importance: { value: 8 }, confidence: { value: 4 }, readiness: { value: 6 } },
      },
      "cli_a",
    ),
    event(
      "evoke.fidelity.rated",
      {
        sessionId: "s1",
        coderId: "coder_7",
        instrument: "MITI-4.2.1",
        globals: { cultivatingChangeTalk: 4, softeningSustainTalk: 3, partnership: 4, empathy: 4 },
        counts: MITI_COUNTS,
        segmentMinutes: 20,
        ratedAt: "2026-03-20T10:00:00Z",
      },
      "cli_a",
    ),
  ];
}

const MITI_COUNTS = {
  givingInformation: 3,
  persuade: 1,
  persuadeWithPermission: 1,
  question: 9,
  simpleReflection: 6,
  complexReflection: 7,
  affirm: 2,
  seekingCollaboration: 2,
  emphasizingAutonomy: 1,
  confront: 0,
};

function fhirClinic(): Record<string, unknown> {
  const participants = (patient: string, status = "accepted") => [
    { actor: { reference: `Patient/${patient}` }, status },
    { actor: { reference: "PractitionerRole/okafor-mi" }, status: "accepted" },
    { actor: { reference: "HealthcareService/mi-north" }, status: "accepted" },
  ];
  const episode = (id: string, patient: string, start: string, end?: string, reason?: string) => ({
    resourceType: "EpisodeOfCare",
    id,
    status: end === undefined ? "active" : "finished",
    patient: { reference: `Patient/${patient}` },
    managingOrganization: { reference: "HealthcareService/mi-north" },
    period: { start, ...(end === undefined ? {} : { end }) },
    ...(reason === undefined
      ? {}
      : { extension: [{ url: `${EVOKE}/StructureDefinition/discharge-reason`, valueCode: reason }] }),
  });
  const ruler = (id: string, authored: string, values: [number, number, number], encounter?: string) => ({
    resourceType: "QuestionnaireResponse",
    id,
    questionnaire: `${EVOKE}/Questionnaire/readiness-ruler`,
    status: "completed",
    subject: { reference: "Patient/pa" },
    ...(encounter === undefined ? {} : { encounter: { reference: encounter } }),
    authored,
    item: ["importance", "confidence", "readiness"].map((linkId, index) => ({
      linkId,
      answer: [{ valueInteger: values[index] }],
    })),
  });
  const resources = [
    { resourceType: "HealthcareService", id: "mi-north", name: "MI brief intervention, North" },
    { resourceType: "Practitioner", id: "okafor", name: [{ given: ["Ada"], family: "Okafor" }] },
    {
      resourceType: "PractitionerRole",
      id: "okafor-mi",
      practitioner: { reference: "Practitioner/okafor" },
      healthcareService: [{ reference: "HealthcareService/mi-north" }],
    },
    { resourceType: "Patient", id: "pa", name: [{ family: "A" }] },
    { resourceType: "Patient", id: "pb", name: [{ family: "B" }] },
    { resourceType: "Patient", id: "pc", name: [{ family: "C" }] },
    episode("ep-a", "pa", "2026-03-02T08:15:00Z"),
    episode("ep-b", "pb", "2026-03-03T08:15:00Z", "2026-04-20T16:00:00Z", "dropped_out"),
    episode("ep-c", "pc", "2026-03-05T08:15:00Z", "2026-05-01T12:00:00Z", "completed"),
    {
      resourceType: "Appointment",
      id: "s1",
      status: "fulfilled",
      start: "2026-03-14T09:30:00Z",
      end: "2026-03-14T10:18:00Z",
      participant: participants("pa"),
    },
    {
      resourceType: "Appointment",
      id: "s2",
      status: "noshow",
      start: "2026-03-21T09:30:00Z",
      participant: participants("pa"),
    },
    {
      resourceType: "Appointment",
      id: "s3",
      status: "cancelled",
      start: "2026-03-22T09:30:00Z",
      cancelationReason: {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason", code: "pat" }],
      },
      participant: participants("pb", "declined"),
    },
    {
      resourceType: "Appointment",
      id: "s4",
      status: "fulfilled",
      start: "2026-03-12T11:00:00Z",
      minutesDuration: 50,
      participant: participants("pc"),
    },
    ruler("qr-1", "2026-03-02T08:30:00Z", [5, 3, 4]),
    ruler("qr-2", "2026-03-14T10:15:00Z", [8, 4, 6], "Appointment/s1"),
    {
      resourceType: "QuestionnaireResponse",
      id: "miti-1",
      questionnaire: `${EVOKE}/Questionnaire/miti-4.2.1-rating`,
      status: "completed",
      subject: { reference: "Patient/pa" },
      encounter: { reference: "Appointment/s1" },
      author: { reference: "Practitioner/7" },
      authored: "2026-03-20T10:00:00Z",
      item: [
        ...Object.entries({ cultivatingChangeTalk: 4, softeningSustainTalk: 3, partnership: 4, empathy: 4 }).map(
          ([linkId, value]) => ({ linkId, answer: [{ valueInteger: value }] }),
        ),
        ...Object.entries(MITI_COUNTS).map(([linkId, value]) => ({ linkId, answer: [{ valueInteger: value }] })),
        { linkId: "segmentMinutes", answer: [{ valueDecimal: 20 }] },
      ],
    },
  ];
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: resources.map((resource) => ({
      resource,
      request: { method: "PUT", url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}

interface Path {
  readonly ingest: TestIngest;
  readonly topics: TestTopics;
  readonly database: TestDatabase;
  readonly sink: RunningSink;
}

async function startPath(label: string): Promise<Path> {
  const ingest = await createTestIngest(label, {
    fhir: {
      patientIdSalt: new Secret("same-figures-salt-0123456789"),
      patientIdentifierSystem: null,
      programmeMap: new Map([["HealthcareService/mi-north", PROGRAMME]]),
      defaultProgrammeId: PROGRAMME,
    },
  });
  const topics = await createTestTopics(ingest.kafka, label, { count: 2 });
  const database = await createTestDatabase(label);
  const [coded = "", deadLetter = ""] = topics.names;
  const sink = await startSink({
    kafka: ingest.kafka,
    db: database.db,
    topics: { sources: [ingest.topic, ingest.transcriptsTopic, coded], deadLetter },
    logger: createLogger({ name: "aggregation", level: "silent" }),
    groupId: uniqueName(`aggregation-${label}`),
  });
  return { ingest, topics, database, sink };
}

async function stopPath(path: Path | undefined): Promise<void> {
  await path?.sink.stop();
  await path?.ingest.close();
  await path?.topics.drop();
  await path?.database.drop();
}

async function figures(database: TestDatabase) {
  return {
    totals: await totals(database.sql),
    programmes: await programmeDirectory(database.db, null),
    therapists: await therapistDirectory(database.db, null),
    retention: await retentionByProgramme(database.db, { asOf: AS_OF }),
    readiness: await readinessChangeByProgramme(database.db, {}),
    fidelity: await fidelityByGroup(database.db, { by: "programme" }),
  };
}

describe("a clinic sent as CloudEvents and as FHIR R4 gives the same dashboard figures", () => {
  let cloudEvents: Path | undefined;
  let fhir: Path | undefined;

  beforeAll(async () => {
    cloudEvents = await startPath("same-ce");
    fhir = await startPath("same-fhir");
  });

  afterAll(async () => {
    await stopPath(cloudEvents);
    await stopPath(fhir);
  });

  it("lands the same history in PostgreSQL through ingest, Kafka and the aggregation sink", async () => {
    if (cloudEvents === undefined || fhir === undefined) throw new Error("set-up failed");
    const events = cloudEventsClinic();
    const sent = await postEvents(cloudEvents.ingest, JSON.stringify(events), {
      "content-type": "application/cloudevents-batch+json",
    });
    expect(sent.status).toBe(202);
    const posted = await fhir.ingest.app.request("/fhir/r4", {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY.secret}`, "content-type": "application/fhir+json" },
      body: JSON.stringify(fhirClinic()),
    });
    expect(posted.status).toBe(200);

    await waitForProcessed(cloudEvents.database.sql, events.length);
    await waitForProcessed(fhir.database.sql, events.length);
    const expected = await figures(cloudEvents.database);
    const actual = await figures(fhir.database);

    // The figures are not trivially equal: the clinic is really there.
    expect(expected.totals).toMatchObject({
      episodes: 3,
      discharged_episodes: 2,
      attended_sessions: 2,
      readiness_measurements: 6,
    });
    expect(expected.programmes).toEqual([
      expect.objectContaining({ programmeId: PROGRAMME, therapists: 1, episodes: 3, sessionsCoded: 1, humanRated: 1 }),
    ]);
    expect(expected.readiness).toHaveLength(1);
    expect(actual).toEqual(expected);
  });
});
