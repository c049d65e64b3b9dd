import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FHIR_TEST_CONFIG, fhirClinicBundle } from "../support/fhir-clinic.ts";
import { createTestIngest, messageCount, readMessages, TEST_KEY, type TestIngest } from "../support/ingest.ts";

/*
 * POST /fhir/r4 on the real ingest app, publishing to a real broker: a transaction Bundle of a
 * small clinic becomes the Evoke events on the intake topic, keyed and attributed like the
 * CloudEvents path's, with nothing of the Patients on Kafka; resending it gives the same event
 * ids; a bad Bundle publishes nothing; transport errors are OperationOutcomes.
 */

const FHIR = { "content-type": "application/fhir+json" };

function postFhir(ingest: TestIngest, body: string, headers: Record<string, string> = FHIR, path = "/fhir/r4") {
  return ingest.app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_KEY.secret}`, ...headers },
    body,
  });
}

const EXPECTED_TYPES = [
  "evoke.programme.registered",
  "evoke.therapist.registered",
  "evoke.client.enrolled",
  "evoke.client.enrolled",
  "evoke.client.discharged",
  "evoke.session.scheduled",
  "evoke.session.attended",
  "evoke.session.missed",
  "evoke.session.cancelled",
  "evoke.readiness.measured",
  "evoke.transcript.submitted",
].sort();

/** Transcripts go to a topic of their own (the publisher routes them); everything else to intake. */
const topicsOf = (ingest: TestIngest) => [ingest.topic, ingest.transcriptsTopic];

describe("ingest: FHIR R4 Bundles land on the intake and transcripts topics", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("fhir", { fhir: FHIR_TEST_CONFIG, maxBodyBytes: 64 * 1024 });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it("publishes a clinic's transaction Bundle as Evoke events, answered after Kafka's ack", async () => {
    const response = await postFhir(ingest, JSON.stringify(fhirClinicBundle()));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/fhir+json");
    const answer = (await response.json()) as { type: string; entry: { response: { status: string } }[] };
    expect(answer.type).toBe("transaction-response");
    expect(answer.entry.map((entry) => entry.response.status)).toEqual(Array(12).fill("202 Accepted"));

    // Acknowledged means on the topic already: count before reading.
    expect(await messageCount(ingest.kafka, topicsOf(ingest))).toBe(EXPECTED_TYPES.length);
    const messages = await readMessages(ingest.kafka, topicsOf(ingest), EXPECTED_TYPES.length);
    expect(messages.map((message) => message.headers.ce_type).sort()).toEqual(EXPECTED_TYPES);
    for (const message of messages) {
      const transcript = message.headers.ce_type === "evoke.transcript.submitted";
      expect(message.topic).toBe(transcript ? ingest.transcriptsTopic : ingest.topic);
    }
    for (const message of messages) {
      expect(message.headers).toMatchObject({
        ce_source: `urn:evoke:fhir:${TEST_KEY.name}`,
        "evoke-ingest-key": TEST_KEY.name,
      });
      expect(message.headers.ce_id).toMatch(/^evt_fhir_[0-9a-f]{32}$/);
      // Client events are keyed by the pseudonymous client, as on the CloudEvents path.
      if (message.headers.ce_subject !== undefined) expect(message.key).toBe(message.headers.ce_subject);
    }
    const attended = messages.find((message) => message.headers.ce_type === "evoke.session.attended");
    expect(attended?.value).toMatchObject({
      sessionId: "ses_appt_appt-1",
      therapistId: "thr_okafor",
      programmeId: "prg_fhir_north",
      durationMinutes: 48,
    });
    const therapist = messages.find((message) => message.headers.ce_type === "evoke.therapist.registered");
    expect(therapist?.value).toEqual({
      therapistId: "thr_okafor",
      programmeId: "prg_fhir_north",
      displayName: "Ada Okafor",
    });
    // Nothing of the Patients reaches Kafka: not their ids, names, birth dates or identifiers.
    const everything = JSON.stringify(messages);
    for (const secret of ["pat-1", "pat-2", "Secretia", "Nevermind", "Unseen", "1971-02-03", "9434765919"]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("resending the same versions gives the same CloudEvent ids (deduplicated downstream)", async () => {
    const before = await messageCount(ingest.kafka, topicsOf(ingest));
    expect((await postFhir(ingest, JSON.stringify(fhirClinicBundle()))).status).toBe(200);
    const messages = await readMessages(ingest.kafka, topicsOf(ingest), before + EXPECTED_TYPES.length);
    // Partitions interleave, so count ids rather than compare halves: each id twice, no new one.
    const times = new Map<string, number>();
    for (const message of messages)
      times.set(String(message.headers.ce_id), (times.get(String(message.headers.ce_id)) ?? 0) + 1);
    expect(times.size).toBe(EXPECTED_TYPES.length);
    expect([...times.values()]).toEqual(Array(EXPECTED_TYPES.length).fill(2));
  });

  it("refuses a transaction with a bad entry whole, naming it, and publishes nothing", async () => {
    const before = await messageCount(ingest.kafka, topicsOf(ingest));
    const bundle = fhirClinicBundle() as { entry: { resource: Record<string, unknown> }[] };
    const appointment = bundle.entry[7]?.resource as Record<string, unknown>;
    appointment.status = "finished-ish";
    const response = await postFhir(ingest, JSON.stringify(bundle));
    expect(response.status).toBe(422);
    const outcome = (await response.json()) as { resourceType: string; issue: { expression: string[] }[] };
    expect(outcome.resourceType).toBe("OperationOutcome");
    expect(outcome.issue.map((issue) => issue.expression[0])).toEqual(["Bundle.entry[7].resource.status"]);
    expect(JSON.stringify(outcome)).not.toContain("finished-ish");
    expect(await messageCount(ingest.kafka, topicsOf(ingest))).toBe(before);
  });

  it("answers transport errors as OperationOutcomes: content type, JSON, size, method; metadata is public", async () => {
    const outcomeOf = async (response: Response) => {
      expect(response.headers.get("content-type")).toContain("application/fhir+json");
      return ((await response.json()) as { issue: { code: string }[] }).issue[0]?.code;
    };
    const wrongType = await postFhir(ingest, "{}", { "content-type": "text/xml" });
    expect(wrongType.status).toBe(415);
    expect(await outcomeOf(wrongType)).toBe("not-supported");
    const badJson = await postFhir(ingest, '{"resourceType": "Bundle",');
    expect(badJson.status).toBe(400);
    expect(await outcomeOf(badJson)).toBe("structure");
    const tooLarge = await postFhir(ingest, JSON.stringify({ resourceType: "Bundle", pad: "x".repeat(70 * 1024) }));
    expect(tooLarge.status).toBe(413);
    expect(await outcomeOf(tooLarge)).toBe("too-costly");
    const get = await ingest.app.request("/fhir/r4", { headers: { authorization: `Bearer ${TEST_KEY.secret}` } });
    expect(get.status).toBe(405);

    const unauthenticated = await ingest.app.request("/fhir/r4", { method: "POST", headers: FHIR, body: "{}" });
    expect(unauthenticated.status).toBe(401);
    const metadata = await ingest.app.request("/fhir/r4/metadata");
    expect(metadata.status).toBe(200);
    const capability = (await metadata.json()) as { resourceType: string; fhirVersion: string };
    expect(capability).toMatchObject({ resourceType: "CapabilityStatement", fhirVersion: "4.0.1" });
  });
});

describe("ingest: FHIR REST-style single resources", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("fhir-rest", {
      fhir: { ...FHIR_TEST_CONFIG, defaultProgrammeId: "prg_fhir_north" },
    });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  const appointment = {
    resourceType: "Appointment",
    id: "rest-1",
    meta: { versionId: "1" },
    status: "booked",
    start: "2026-03-14T09:30:00Z",
    participant: [{ actor: { reference: "Patient/p9" } }, { actor: { reference: "Practitioner/okafor" } }],
  };

  it("takes POST [base]/Type and PUT [base]/Type/id, after Kafka's ack, and holds the URL to the body", async () => {
    const posted = await postFhir(ingest, JSON.stringify(appointment), FHIR, "/fhir/r4/Appointment");
    expect(posted.status).toBe(202);
    const put = await ingest.app.request("/fhir/r4/Appointment/rest-1", {
      method: "PUT",
      headers: { authorization: `Bearer ${TEST_KEY.secret}`, ...FHIR },
      body: JSON.stringify(appointment),
    });
    expect(put.status).toBe(202);
    const messages = await readMessages(ingest.kafka, topicsOf(ingest), 2);
    // The same version twice: the same event, which the pipeline counts once.
    expect(new Set(messages.map((message) => message.headers.ce_id)).size).toBe(1);
    expect(messages[0]?.value).toMatchObject({ sessionId: "ses_appt_rest-1", programmeId: "prg_fhir_north" });

    const wrongType = await postFhir(ingest, JSON.stringify(appointment), FHIR, "/fhir/r4/Encounter");
    expect(wrongType.status).toBe(400);
    const wrongId = await ingest.app.request("/fhir/r4/Appointment/other", {
      method: "PUT",
      headers: { authorization: `Bearer ${TEST_KEY.secret}`, ...FHIR },
      body: JSON.stringify(appointment),
    });
    expect(wrongId.status).toBe(400);
    expect(((await wrongId.json()) as { issue: { expression: string[] }[] }).issue[0]?.expression).toEqual([
      "Appointment.id",
    ]);
    const unauthenticated = await ingest.app.request("/fhir/r4/Appointment", {
      method: "POST",
      headers: FHIR,
      body: JSON.stringify(appointment),
    });
    expect(unauthenticated.status).toBe(401);
    expect(await messageCount(ingest.kafka, topicsOf(ingest))).toBe(2);
  });
});

describe("ingest: the FHIR endpoint without a salt", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("fhir-off");
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it("says it is not configured and publishes nothing", async () => {
    const response = await postFhir(ingest, JSON.stringify(fhirClinicBundle()));
    expect(response.status).toBe(503);
    expect(JSON.stringify(await response.json())).toContain("FHIR_PATIENT_ID_SALT");
    expect(await messageCount(ingest.kafka, topicsOf(ingest))).toBe(0);
  });
});
