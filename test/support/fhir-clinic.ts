import { type FhirConfig, Secret } from "@evoke/config";

/*
 * A small clinic as a FHIR R4 transaction Bundle: one service, one clinician, two patients,
 * their episodes, sessions, a readiness ruler and a transcript. Used by the FHIR integration
 * tests; test/integration/ingest.fhir-* check what it becomes on Kafka and in PostgreSQL.
 */

export const FHIR_TEST_CONFIG: FhirConfig = {
  patientIdSalt: new Secret("integration-test-salt-0123456789"),
  patientIdentifierSystem: null,
  programmeMap: new Map([["HealthcareService/mi-north", "prg_fhir_north"]]),
  defaultProgrammeId: null,
};

const EVOKE = "https://evoke.example.org/fhir";

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

export function fhirClinicBundle(): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [
    {
      resourceType: "HealthcareService",
      id: "mi-north",
      meta: { versionId: "1" },
      name: "MI brief intervention, North",
    },
    { resourceType: "Practitioner", id: "okafor", name: [{ use: "official", given: ["Ada"], family: "Okafor" }] },
    {
      resourceType: "PractitionerRole",
      id: "okafor-mi",
      meta: { versionId: "1" },
      practitioner: { reference: "Practitioner/okafor" },
      healthcareService: [{ reference: "HealthcareService/mi-north" }],
    },
    {
      resourceType: "Patient",
      id: "pat-1",
      name: [{ family: "Nevermind", given: ["Secretia"] }],
      birthDate: "1971-02-03",
      identifier: [{ system: "urn:oid:2.16.840.1.113883.2.1.4.1", value: "9434765919" }],
    },
    { resourceType: "Patient", id: "pat-2", name: [{ family: "Unseen" }] },
    {
      resourceType: "EpisodeOfCare",
      id: "ep-1",
      meta: { versionId: "1" },
      status: "active",
      patient: { reference: "Patient/pat-1" },
      managingOrganization: { reference: "HealthcareService/mi-north" },
      period: { start: "2026-03-02T08:15:00Z" },
    },
    {
      resourceType: "EpisodeOfCare",
      id: "ep-2",
      meta: { versionId: "3" },
      status: "finished",
      patient: { reference: "Patient/pat-2" },
      managingOrganization: { reference: "HealthcareService/mi-north" },
      period: { start: "2026-03-03T08:15:00Z", end: "2026-04-20T16:00:00Z" },
      extension: [{ url: `${EVOKE}/StructureDefinition/discharge-reason`, valueCode: "completed" }],
    },
    {
      resourceType: "Appointment",
      id: "appt-1",
      meta: { versionId: "2" },
      status: "fulfilled",
      start: "2026-03-14T09:30:00Z",
      end: "2026-03-14T10:18:00Z",
      participant: [
        { actor: { reference: "Patient/pat-1" }, status: "accepted" },
        { actor: { reference: "PractitionerRole/okafor-mi" }, status: "accepted" },
        { actor: { reference: "HealthcareService/mi-north" }, status: "accepted" },
      ],
    },
    {
      resourceType: "Appointment",
      id: "appt-2",
      meta: { versionId: "2" },
      status: "noshow",
      start: "2026-03-21T09:30:00Z",
      participant: [
        { actor: { reference: "Patient/pat-1" }, status: "accepted" },
        { actor: { reference: "Practitioner/okafor" }, status: "accepted" },
        { actor: { reference: "HealthcareService/mi-north" }, status: "accepted" },
      ],
    },
    {
      resourceType: "Appointment",
      id: "appt-3",
      meta: { versionId: "2" },
      status: "cancelled",
      start: "2026-03-15T11:00:00Z",
      cancelationReason: {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason", code: "pat" }],
      },
      participant: [
        { actor: { reference: "Patient/pat-2" }, status: "declined" },
        { actor: { reference: "Practitioner/okafor" }, status: "accepted" },
        { actor: { reference: "HealthcareService/mi-north" }, status: "accepted" },
      ],
    },
    {
      resourceType: "QuestionnaireResponse",
      id: "qr-1",
      meta: { versionId: "1" },
      questionnaire: `${EVOKE}/Questionnaire/readiness-ruler`,
      status: "completed",
      subject: { reference: "Patient/pat-1" },
      encounter: { reference: "Appointment/appt-1" },
      authored: "2026-03-14T10:15:00Z",
      item: [
        { linkId: "importance", answer: [{ valueInteger: 8 }] },
        { linkId: "confidence", answer: [{ valueInteger: 4 }] },
        { linkId: "readiness", answer: [{ valueInteger: 6 }] },
      ],
    },
    {
      resourceType: "DocumentReference",
      id: "doc-1",
      meta: { versionId: "1" },
      status: "current",
      subject: { reference: "Patient/pat-1" },
      author: [{ reference: "Practitioner/okafor" }],
      context: { encounter: [{ reference: "Appointment/appt-1" }] },
      content: [
        {
          attachment: {
            contentType: "text/plain; charset=utf-8",
            language: "en",
            data: base64(
              "Therapist: What brings you in today?\nClient: My partner thinks I drink too much.\nTherapist: Someone close to you is worried, and you're not sure.\n",
            ),
          },
        },
      ],
    },
  ];
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: resources.map((resource) => ({
      fullUrl: `https://ehr.north.example/fhir/${resource.resourceType}/${resource.id}`,
      resource,
      request: { method: "PUT", url: `${resource.resourceType}/${resource.id}` },
    })),
  };
}
