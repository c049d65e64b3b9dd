import type { CapabilityStatement, CapabilityStatementRestResource } from "@medplum/fhirtypes";
import { SUPPORTED_RESOURCE_TYPES } from "./mapping.ts";

/** GET /fhir/r4/metadata: what the endpoint takes (FHIR R4, JSON, Bundles and single resources, create only). */
export function capabilityStatement(): CapabilityStatement {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-12-06",
    kind: "instance",
    software: { name: "Evoke ingest" },
    implementation: { description: "Evoke's FHIR R4 intake: resources become Evoke events (see docs/fhir.md)." },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json", "json"],
    rest: [
      {
        mode: "server",
        documentation:
          "POST a Bundle (transaction, batch, collection or message) or a single resource to the base URL; or one resource as POST [base]/Type or PUT [base]/Type/id. Nothing can be read back: Evoke keeps events, not resources. Authenticate with Authorization: Bearer <ingest API key>.",
        security: {
          description: "Bearer token: an ingest API key (INGEST_API_KEYS).",
        },
        resource: SUPPORTED_RESOURCE_TYPES.map((type) => ({
          type: type as CapabilityStatementRestResource["type"],
          interaction: [{ code: "create" as const }, { code: "update" as const }],
        })),
        interaction: [{ code: "transaction" }, { code: "batch" }],
      },
    ],
  };
}
