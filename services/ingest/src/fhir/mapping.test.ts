import { readFileSync } from "node:fs";
import { type FhirConfig, Secret } from "@evoke/config";
import type { Resource } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { type FhirPlan, planFhirRequest } from "./bundle.ts";
import { QUESTIONNAIRES } from "./canonical.ts";
import { DISCHARGE_REASON_EXTENSION } from "./mappers/episodes.ts";

/*
 * The mapping per resource kind, read from the FHIR specification's own examples
 * (test/fixtures/fhir/hl7-r4-examples) and from Bundles built here, and every error class a
 * Bundle can have. Kafka is not involved: these test the plan; test/integration/ingest.fhir-*
 * posts the same kinds of Bundle to the real app and broker.
 */

const EXAMPLES = new URL("../../../../test/fixtures/fhir/hl7-r4-examples/", import.meta.url);
function example(name: string): Resource & Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, EXAMPLES), "utf8"));
}

const CONFIG: FhirConfig = {
  patientIdSalt: new Secret("unit-test-salt-0123456789"),
  patientIdentifierSystem: null,
  programmeMap: new Map([["Organization/hl7", "prg_hl7"]]),
  defaultProgrammeId: null,
};
const FACTS = { source: "urn:evoke:fhir:test", receivedAt: "2026-03-14T10:00:00Z" };

function plan(body: unknown, config: FhirConfig = CONFIG): FhirPlan {
  return planFhirRequest(body, config, FACTS);
}

function eventsOf(result: FhirPlan) {
  if (result.kind !== "publish") throw new Error(`rejected: ${JSON.stringify(result.answer.resource)}`);
  return result.events;
}

function issuesOf(result: FhirPlan) {
  if (result.kind !== "rejected") throw new Error("expected a rejection");
  return (result.answer.resource as { issue: { code: string; expression?: string[]; diagnostics: string }[] }).issue;
}

function bundle(type: string, resources: readonly unknown[]) {
  return { resourceType: "Bundle", type, entry: resources.map((resource) => ({ resource })) };
}

describe("FHIR mapping of the specification's examples", () => {
  it("EpisodeOfCare-example (active) enrols a pseudonymous client in the mapped programme", () => {
    const [event, ...rest] = eventsOf(plan(example("EpisodeOfCare-example")));
    expect(rest).toEqual([]);
    expect(event?.type).toBe("evoke.client.enrolled");
    expect(event?.data).toMatchObject({ programmeId: "prg_hl7", enrolledAt: "2014-09-01T00:00:00Z" });
    expect(event?.subject).toMatch(/^cli_[0-9a-f]{32}$/);
    expect(event?.source).toBe(FACTS.source);
  });

  it("the client id is a salted hash: the same Patient gives the same id, another salt another id", () => {
    const once = eventsOf(plan(example("EpisodeOfCare-example")))[0]?.subject;
    const again = eventsOf(plan(example("EpisodeOfCare-example")))[0]?.subject;
    const otherSalt = eventsOf(
      plan(example("EpisodeOfCare-example"), { ...CONFIG, patientIdSalt: new Secret("another-salt-0123456789") }),
    )[0]?.subject;
    expect(again).toBe(once);
    expect(otherSalt).not.toBe(once);
    expect(once).not.toContain("example");
  });

  it("Appointment-example (booked) needs a programme; with the default programme it is a scheduled session", () => {
    const refused = issuesOf(plan(example("Appointment-example")));
    expect(refused).toEqual([expect.objectContaining({ code: "required", expression: ["Appointment.participant"] })]);
    const [event] = eventsOf(plan(example("Appointment-example"), { ...CONFIG, defaultProgrammeId: "prg_default" }));
    expect(event?.type).toBe("evoke.session.scheduled");
    expect(event?.data).toMatchObject({
      sessionId: "ses_appt_example",
      therapistId: "thr_example",
      programmeId: "prg_default",
      scheduledAt: "2013-12-10T09:00:00Z",
    });
  });

  it("PractitionerRole-example with its Practitioner registers the therapist under the HealthcareService, by name", () => {
    const events = eventsOf(
      plan(
        bundle("transaction", [
          example("PractitionerRole-example"),
          example("Practitioner-example"),
          example("HealthcareService-example"),
        ]),
      ),
    );
    expect(events.map((event) => [event.type, event.data])).toEqual([
      [
        "evoke.therapist.registered",
        { therapistId: "thr_example", programmeId: "prg_hcs_example", displayName: "Dr Adam Careful" },
      ],
      [
        "evoke.programme.registered",
        { programmeId: "prg_hcs_example", name: "Consulting psychologists and/or psychology services" },
      ],
    ]);
  });

  it("Organization-hl7 is a programme under its configured id", () => {
    const [event] = eventsOf(plan(example("Organization-hl7")));
    expect(event?.data).toEqual({ programmeId: "prg_hl7", name: "Health Level Seven International" });
  });

  it("Patient-example is accepted but nothing of it is published or echoed", () => {
    const result = plan(example("Patient-example"));
    expect(eventsOf(result)).toEqual([]);
    const answer = JSON.stringify(result.kind === "publish" ? result.accepted().resource : {});
    expect(answer).not.toContain("Chalmers");
    expect(answer).not.toContain("Peter");
  });

  it("Encounter-example (in-progress) is accepted with nothing to publish yet", () => {
    expect(eventsOf(plan(example("Encounter-example")))).toEqual([]);
  });

  it("QuestionnaireResponse-gcs (the Glasgow Coma Scale, not one of Evoke's Questionnaires) and Observation-example are refused as not supported", () => {
    expect(issuesOf(plan(example("QuestionnaireResponse-gcs")))).toEqual([
      expect.objectContaining({ code: "not-supported", expression: ["QuestionnaireResponse.questionnaire"] }),
    ]);
    expect(issuesOf(plan(example("Observation-example")))).toEqual([
      expect.objectContaining({ code: "not-supported", expression: ["Observation.resourceType"] }),
    ]);
  });

  it("DocumentReference-example (an XML document by URL) and Communication-example (unlabelled free text) are refused, naming the elements", () => {
    const document = issuesOf(plan(example("DocumentReference-example")));
    expect(document.map((issue) => issue.expression?.[0])).toContain(
      "DocumentReference.content[0].attachment.contentType",
    );
    const communication = issuesOf(plan(example("Communication-example")));
    const where = communication.map((issue) => issue.expression?.[0]);
    // Its recipient is a Practitioner (the clinician), but it names no programme, has no
    // speaker labels and no language.
    expect(where).toEqual([
      "Communication.encounter",
      "Communication.payload[0].contentString",
      "Communication.language",
    ]);
    // The message says which line is wrong, not what it says.
    expect(JSON.stringify(communication)).not.toContain("potassium");
  });
});

const PATIENT = { resourceType: "Patient", id: "p1", name: [{ family: "Never-Published" }], birthDate: "1980-01-01" };
const SERVICE = { resourceType: "HealthcareService", id: "mi", name: "MI, North" };
const ROLE = {
  resourceType: "PractitionerRole",
  id: "r1",
  practitioner: { reference: "Practitioner/t1", display: "A. Okafor" },
  healthcareService: [{ reference: "HealthcareService/mi" }],
};

function appointment(status: string, extra: Record<string, unknown> = {}) {
  return {
    resourceType: "Appointment",
    id: "a1",
    meta: { versionId: "1" },
    status,
    start: "2026-03-14T09:30:00Z",
    end: "2026-03-14T10:20:00Z",
    participant: [
      { actor: { reference: "Patient/p1" }, status: "accepted" },
      { actor: { reference: "Practitioner/t1" }, status: "accepted" },
      { actor: { reference: "HealthcareService/mi" }, status: "accepted" },
    ],
    ...extra,
  };
}

describe("FHIR mapping of each session, episode, measure and transcript kind", () => {
  it("Appointment statuses: fulfilled → scheduled + attended, noshow → missed, cancelled → cancelled by whom", () => {
    expect(eventsOf(plan(appointment("fulfilled"))).map((event) => [event.type, event.data])).toEqual([
      [
        "evoke.session.scheduled",
        {
          sessionId: "ses_appt_a1",
          clientId: expect.any(String),
          therapistId: "thr_t1",
          programmeId: "prg_hcs_mi",
          scheduledAt: "2026-03-14T09:30:00Z",
        },
      ],
      [
        "evoke.session.attended",
        {
          sessionId: "ses_appt_a1",
          clientId: expect.any(String),
          therapistId: "thr_t1",
          programmeId: "prg_hcs_mi",
          occurredAt: "2026-03-14T09:30:00Z",
          durationMinutes: 50,
        },
      ],
    ]);
    expect(eventsOf(plan(appointment("noshow"))).map((event) => event.type)).toEqual(["evoke.session.missed"]);
    const cancelled = appointment("cancelled", {
      cancelationReason: {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason", code: "pat-crs" }],
      },
    });
    expect(eventsOf(plan(cancelled))[0]?.data).toMatchObject({ cancelledBy: "client" });
    expect(issuesOf(plan(appointment("cancelled")))[0]?.expression).toEqual(["Appointment.cancelationReason"]);
  });

  it("an Encounter pointing at its Appointment is the same session; finished → attended with its length", () => {
    const encounter = {
      resourceType: "Encounter",
      id: "e1",
      status: "finished",
      subject: { reference: "Patient/p1" },
      participant: [{ individual: { reference: "PractitionerRole/r1" } }],
      appointment: [{ reference: "Appointment/a1" }],
      period: { start: "2026-03-14T09:32:00Z" },
      length: { value: 48, unit: "min", system: "http://unitsofmeasure.org", code: "min" },
    };
    const [event] = eventsOf(plan(bundle("collection", [encounter, ROLE, SERVICE]))).filter(
      (candidate) => candidate.type === "evoke.session.attended",
    );
    expect(event?.data).toMatchObject({
      sessionId: "ses_appt_a1",
      therapistId: "thr_t1",
      programmeId: "prg_hcs_mi",
      durationMinutes: 48,
    });
  });

  it("a finished EpisodeOfCare is enrolled and discharged with the reason of Evoke's extension", () => {
    const episode = {
      resourceType: "EpisodeOfCare",
      id: "ep1",
      status: "finished",
      patient: { reference: "Patient/p1" },
      managingOrganization: { reference: "Organization/north" },
      period: { start: "2026-01-05T08:15:00Z", end: "2026-03-13T16:00:00Z" },
      extension: [{ url: DISCHARGE_REASON_EXTENSION, valueCode: "dropped_out" }],
    };
    const events = eventsOf(plan(episode));
    expect(events.map((event) => event.type)).toEqual(["evoke.client.enrolled", "evoke.client.discharged"]);
    expect(events[1]?.data).toMatchObject({
      programmeId: "prg_org_north",
      reason: "dropped_out",
      dischargedAt: "2026-03-13T16:00:00Z",
    });
    const withoutReason = issuesOf(plan({ ...episode, extension: [] }));
    expect(withoutReason[0]?.expression).toEqual(["EpisodeOfCare.extension"]);
  });

  it("the event contract's rules reach FHIR: a time too far ahead or too early, a NUL in a name, each named by its FHIRPath", () => {
    const episode = {
      resourceType: "EpisodeOfCare",
      id: "ep2",
      status: "active",
      patient: { reference: "Patient/p1" },
      managingOrganization: { reference: "Organization/north" },
      period: { start: "9999-12-31T00:00:00Z" },
    };
    const ahead = issuesOf(plan(episode));
    expect(ahead.map((issue) => issue.expression?.[0])).toEqual(["EpisodeOfCare.period.start"]);
    expect(ahead[0]?.diagnostics).not.toContain("9999");
    // The operator's limits, not the defaults: a floor of 2020 refuses a 2019 enrolment.
    const limits = { maxFutureSkewHours: 24, maxScheduleAheadDays: 730, earliest: new Date("2020-01-01T00:00:00Z") };
    const early = planFhirRequest({ ...episode, period: { start: "2019-06-01T00:00:00Z" } }, CONFIG, {
      ...FACTS,
      timeLimits: limits,
    });
    expect(issuesOf(early).map((issue) => issue.expression?.[0])).toEqual(["EpisodeOfCare.period.start"]);
    expect(eventsOf(plan({ ...episode, period: { start: "2019-06-01T00:00:00Z" } }))).toHaveLength(1);
    const named = issuesOf(plan({ resourceType: "Organization", id: "north", name: "North\u0000Clinic" }));
    expect(named.map((issue) => issue.expression?.[0])).toEqual(["Organization.name"]);
  });

  it("a readiness ruler QuestionnaireResponse → readiness measured; a MITI rating → fidelity rated", () => {
    const readiness = {
      resourceType: "QuestionnaireResponse",
      id: "q1",
      questionnaire: `${QUESTIONNAIRES.readinessRuler}|1.0.0`,
      status: "completed",
      subject: { reference: "Patient/p1" },
      encounter: { reference: "Appointment/a1" },
      authored: "2026-03-14T10:25:00Z",
      item: [
        { linkId: "importance", answer: [{ valueInteger: 8 }] },
        { linkId: "confidence", answer: [{ valueInteger: 4 }] },
        { linkId: "readiness", answer: [{ valueDecimal: 6.5 }] },
      ],
    };
    const [measured] = eventsOf(plan(readiness, { ...CONFIG, defaultProgrammeId: "prg_x" }));
    expect(measured?.data).toMatchObject({
      instrument: "readiness-ruler",
      sessionId: "ses_appt_a1",
      scores: { importance: { value: 8, min: 0, max: 10 }, readiness: { value: 6.5 } },
    });
    const outOfScale = {
      ...readiness,
      item: [...readiness.item.slice(0, 2), { linkId: "readiness", answer: [{ valueInteger: 11 }] }],
    };
    expect(issuesOf(plan(outOfScale, { ...CONFIG, defaultProgrammeId: "prg_x" }))[0]?.expression).toEqual([
      "QuestionnaireResponse.item[2].answer[0]",
    ]);

    const numbers = (names: string[], value: number) =>
      names.map((linkId) => ({ linkId, answer: [{ valueInteger: value }] }));
    const rating = {
      resourceType: "QuestionnaireResponse",
      id: "m1",
      questionnaire: QUESTIONNAIRES.miti,
      status: "completed",
      encounter: { reference: "Encounter/e9" },
      author: { reference: "Practitioner/coder7" },
      authored: "2026-03-15T10:00:00Z",
      item: [
        {
          linkId: "globals",
          item: numbers(["cultivatingChangeTalk", "softeningSustainTalk", "partnership", "empathy"], 4),
        },
        {
          linkId: "counts",
          item: numbers(
            [
              "givingInformation",
              "persuade",
              "persuadeWithPermission",
              "question",
              "simpleReflection",
              "complexReflection",
              "affirm",
              "seekingCollaboration",
              "emphasizingAutonomy",
              "confront",
            ],
            2,
          ),
        },
        { linkId: "segmentMinutes", answer: [{ valueDecimal: 20 }] },
      ],
    };
    const [rated] = eventsOf(plan(rating));
    expect(rated?.type).toBe("evoke.fidelity.rated");
    expect(rated?.data).toMatchObject({
      sessionId: "ses_enc_e9",
      coderId: "coder_coder7",
      segmentMinutes: 20,
      globals: { empathy: 4 },
    });
  });

  it("a DocumentReference with speaker-labelled text/plain → transcript submitted", () => {
    const text = "Therapist: What brings you in today?\nClient: My partner thinks I drink too much.\n";
    const document = {
      resourceType: "DocumentReference",
      id: "d1",
      status: "current",
      subject: { reference: "Patient/p1" },
      author: [{ reference: "Practitioner/t1" }],
      context: { encounter: [{ reference: "Encounter/e1" }] },
      content: [
        { attachment: { contentType: "text/plain", language: "en", data: Buffer.from(text).toString("base64") } },
      ],
    };
    const encounter = {
      resourceType: "Encounter",
      id: "e1",
      status: "finished",
      subject: { reference: "Patient/p1" },
      participant: [{ individual: { reference: "Practitioner/t1" } }],
      serviceProvider: { reference: "Organization/north" },
      period: { start: "2026-03-14T09:32:00Z" },
    };
    const events = eventsOf(plan(bundle("batch", [document, encounter])));
    const transcript = events.find((event) => event.type === "evoke.transcript.submitted");
    expect(transcript?.data).toMatchObject({
      sessionId: "ses_enc_e1",
      programmeId: "prg_org_north",
      language: "en",
      utterances: [
        { speaker: "therapist", text: "What brings you in today?" },
        { speaker: "client", text: "My partner thinks I drink too much." },
      ],
    });
  });
});

describe("client ids from a Patient identifier (FHIR_PATIENT_IDENTIFIER_SYSTEM)", () => {
  const SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
  const config = { ...CONFIG, patientIdentifierSystem: SYSTEM };
  const episode = (patient: Record<string, unknown>) => ({
    resourceType: "EpisodeOfCare",
    id: "ep-id",
    status: "active",
    patient,
    managingOrganization: { reference: "Organization/north" },
    period: { start: "2026-03-02" },
  });

  it("hashes the identifier, so two servers' ids for one person give one client", () => {
    const viaBundle = eventsOf(
      plan(
        bundle("collection", [
          { resourceType: "Patient", id: "local-1", identifier: [{ system: SYSTEM, value: "9434765919" }] },
          episode({ reference: "Patient/local-1" }),
        ]),
        config,
      ),
    )[0]?.subject;
    const viaReference = eventsOf(
      plan(episode({ reference: "Patient/other-9", identifier: { system: SYSTEM, value: "9434765919" } }), config),
    )[0]?.subject;
    expect(viaBundle).toMatch(/^cli_[0-9a-f]{32}$/);
    expect(viaReference).toBe(viaBundle);
    expect(viaBundle).not.toBe(eventsOf(plan(episode({ reference: "Patient/local-1" })))[0]?.subject);
  });

  it("refuses a Patient it cannot identify by that system, naming the reference", () => {
    expect(issuesOf(plan(episode({ reference: "Patient/local-1" }), config))[0]?.expression).toEqual([
      "EpisodeOfCare.patient",
    ]);
  });
});

describe("event ids: a resend of one version is the same event, a new version a new one", () => {
  it("derives the CloudEvent id from resource, version and event type", () => {
    const first = eventsOf(plan(appointment("booked")))[0]?.id;
    expect(eventsOf(plan(appointment("booked")))[0]?.id).toBe(first);
    expect(eventsOf(plan(appointment("booked", { meta: { versionId: "2" } })))[0]?.id).not.toBe(first);
    expect(first).toMatch(/^evt_fhir_[0-9a-f]{32}$/);
  });
});

describe("every error class of a Bundle", () => {
  const expressions = (result: FhirPlan) => issuesOf(result).map((issue) => issue.expression?.[0]);

  it("not a resource, an unknown Bundle type, an empty Bundle", () => {
    expect(plan([1, 2]).kind === "rejected" && plan([1, 2]).kind).toBe("rejected");
    expect(issuesOf(plan({ resourceType: "Bundle", type: "searchset", entry: [] }))[0]).toMatchObject({
      code: "not-supported",
      expression: ["Bundle.type"],
    });
    expect(expressions(plan({ resourceType: "Bundle", type: "batch", entry: [] }))).toEqual(["Bundle.entry"]);
  });

  it("an entry without a resource, an unsupported resource, a DELETE, an invalid status, a missing and an unresolvable reference: all named at once in a transaction", () => {
    const result = plan({
      resourceType: "Bundle",
      type: "transaction",
      entry: [
        { request: { method: "POST", url: "Appointment" } },
        {
          resource: { resourceType: "Observation", id: "o1", status: "final" },
          request: { method: "POST", url: "Observation" },
        },
        { resource: PATIENT, request: { method: "DELETE", url: "Patient/p1" } },
        { resource: appointment("confirmed"), request: { method: "PUT", url: "Appointment/a1" } },
        { resource: { ...ROLE, practitioner: undefined }, request: { method: "POST", url: "PractitionerRole" } },
        {
          resource: {
            ...appointment("booked"),
            participant: [{ actor: { reference: "urn:uuid:6a3e44b3-0b2c-4a43-9b47-1f1e3c0f6c1d" } }],
          },
          request: { method: "POST", url: "Appointment" },
        },
      ],
    });
    expect(result.kind === "rejected" && result.answer.status).toBe(400);
    expect(expressions(result)).toEqual(
      expect.arrayContaining([
        "Bundle.entry[0].resource",
        "Bundle.entry[1].resource.resourceType",
        "Bundle.entry[2].request.method",
        "Bundle.entry[3].resource.status",
        "Bundle.entry[4].resource.practitioner",
        "Bundle.entry[5].resource.participant",
      ]),
    );
    // Never an echo of what was sent.
    expect(JSON.stringify(issuesOf(result))).not.toContain("confirmed");
  });

  it("a batch answers entry by entry and publishes the valid ones", () => {
    const result = plan(
      bundle("batch", [appointment("booked"), { ...appointment("booked"), id: "a2", status: 7 }, PATIENT]),
    );
    expect(eventsOf(result).map((event) => event.type)).toEqual(["evoke.session.scheduled"]);
    const response =
      result.kind === "publish"
        ? (result.accepted().resource as {
            entry: { response: { status: string; outcome?: { issue: { expression: string[] }[] } } }[];
          })
        : undefined;
    expect(response?.entry.map((entry) => entry.response.status)).toEqual([
      "202 Accepted",
      "422 Unprocessable Entity",
      "202 Accepted",
    ]);
    expect(response?.entry[1]?.response.outcome?.issue[0]?.expression).toEqual(["Bundle.entry[1].resource.status"]);
  });

  it("too many entries", () => {
    const entries = Array.from({ length: 1_001 }, () => PATIENT);
    const result = plan(bundle("batch", entries));
    expect(result.kind === "rejected" && result.answer.status).toBe(413);
  });

  it("a message Bundle must start with its MessageHeader", () => {
    expect(expressions(plan(bundle("message", [appointment("booked")])))).toEqual([
      "Bundle.entry[0].resource.resourceType",
    ]);
    expect(eventsOf(plan(bundle("message", [{ resourceType: "MessageHeader" }, appointment("booked")])))).toHaveLength(
      1,
    );
  });
});
