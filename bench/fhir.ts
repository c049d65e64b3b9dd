/**
 * `pnpm bench:fhir [bundles=200] [clients=100]`: the FHIR endpoint's own cost, per event, beside
 * the CloudEvents path's validation of the same events. A batch Bundle of a clinic's resources
 * (per client: Patient, EpisodeOfCare, a fulfilled Appointment, a readiness ruler: 4 events) is
 * planned `bundles` times (JSON.parse, reference index, mapping, validateEvent); then the
 * resulting CloudEvents, serialised, are parsed and validated as /v1/events would. No Kafka:
 * publishing is the same for both and measured by bench:ingest.
 */
import { Secret } from "@evoke/config";
import { validateEvent } from "@evoke/events";
import { planFhirRequest } from "@evoke/ingest";

const bundles = Number(process.argv[2] ?? 200);
const clients = Number(process.argv[3] ?? 100);
const EVOKE = "https://evoke.example.org/fhir";

function clinicBundle(): string {
  const entry: unknown[] = [];
  for (let c = 0; c < clients; c += 1) {
    const patient = `Patient/p${c}`;
    entry.push(
      { resource: { resourceType: "Patient", id: `p${c}`, name: [{ family: "Bench" }] } },
      {
        resource: {
          resourceType: "EpisodeOfCare",
          id: `ep${c}`,
          meta: { versionId: "1" },
          status: "active",
          patient: { reference: patient },
          managingOrganization: { reference: "HealthcareService/mi" },
          period: { start: "2026-03-02T08:15:00Z" },
        },
      },
      {
        resource: {
          resourceType: "Appointment",
          id: `a${c}`,
          meta: { versionId: "2" },
          status: "fulfilled",
          start: "2026-03-14T09:30:00Z",
          minutesDuration: 50,
          participant: [
            { actor: { reference: patient } },
            { actor: { reference: "Practitioner/t1" } },
            { actor: { reference: "HealthcareService/mi" } },
          ],
        },
      },
      {
        resource: {
          resourceType: "QuestionnaireResponse",
          id: `q${c}`,
          questionnaire: `${EVOKE}/Questionnaire/readiness-ruler`,
          status: "completed",
          subject: { reference: patient },
          encounter: { reference: `Appointment/a${c}` },
          authored: "2026-03-14T10:15:00Z",
          item: ["importance", "confidence", "readiness"].map((linkId) => ({ linkId, answer: [{ valueInteger: 6 }] })),
        },
      },
    );
  }
  return JSON.stringify({ resourceType: "Bundle", type: "batch", entry });
}

const config = {
  patientIdSalt: new Secret("bench-salt-0123456789abcdef"),
  patientIdentifierSystem: null,
  programmeMap: new Map<string, string>(),
  defaultProgrammeId: null,
};
const facts = { source: "urn:evoke:fhir:bench", receivedAt: "2026-03-14T10:00:00Z" };
const body = clinicBundle();

function plan() {
  const result = planFhirRequest(JSON.parse(body), config, facts);
  if (result.kind !== "publish" || result.refused > 0) throw new Error("the bench Bundle must map cleanly");
  return result.events;
}

const events = plan();
const cloudEvents = JSON.stringify(events.map(({ extensions: _extensions, ...event }) => event));
for (let i = 0; i < 20; i += 1) plan(); // warm-up

let started = performance.now();
for (let i = 0; i < bundles; i += 1) plan();
const fhirMs = performance.now() - started;

started = performance.now();
for (let i = 0; i < bundles; i += 1) {
  for (const event of JSON.parse(cloudEvents) as unknown[]) {
    if (!validateEvent(event).ok) throw new Error("the CloudEvents must validate");
  }
}
const cloudEventsMs = performance.now() - started;

const total = bundles * events.length;
console.log(
  `FHIR batch Bundle: ${clients * 4} entries → ${events.length} events, ${(body.length / 1024).toFixed(0)} KiB`,
);
console.log(
  `FHIR path (parse + map + validate): ${(total / (fhirMs / 1000)).toFixed(0)} events/s, ${(fhirMs / bundles).toFixed(2)} ms per Bundle`,
);
console.log(
  `CloudEvents path (parse + validate): ${(total / (cloudEventsMs / 1000)).toFixed(0)} events/s, ${(cloudEventsMs / bundles).toFixed(2)} ms per batch`,
);
console.log(`FHIR / CloudEvents time: ${(fhirMs / cloudEventsMs).toFixed(2)}×`);
