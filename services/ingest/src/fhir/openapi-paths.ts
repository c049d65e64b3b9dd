import { BUNDLE_TYPES, MAX_BUNDLE_ENTRIES } from "./bundle.ts";
import { SUPPORTED_RESOURCE_TYPES } from "./mapping.ts";
import { FHIR_JSON } from "./outcome.ts";

/*
 * The FHIR endpoints' part of the ingest OpenAPI document (openapi.ts spreads it in). FHIR's
 * own resource schemas are not repeated here: they are the R4 specification's.
 */

const outcome = (description: string) => ({
  description,
  content: { [FHIR_JSON]: { schema: { $ref: "#/components/schemas/OperationOutcome" } } },
});

const SINGLE_RESOURCE = {
  required: true,
  content: {
    [FHIR_JSON]: { schema: { type: "object", required: ["resourceType"], description: "A FHIR R4 resource." } },
  },
};

const SINGLE_RESPONSES = {
  "202": outcome("Published and acknowledged by Kafka (information issues)."),
  "400": outcome("Not the resource the URL names, or not a FHIR resource."),
  "401": {
    description: "Missing or unknown API key (a problem document).",
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  },
  "413": outcome("Body too large."),
  "415": outcome("Content-Type is not application/fhir+json."),
  "422": outcome("The resource cannot be mapped; nothing published."),
  "429": outcome("Over the API key's event rate."),
  "503": outcome("Kafka unreachable, or FHIR_PATIENT_ID_SALT unset; nothing acknowledged."),
};

export function fhirOpenApiPaths() {
  return {
    "/fhir/r4": {
      post: {
        summary: "Submit FHIR R4 resources",
        description: `A Bundle of type ${BUNDLE_TYPES.join(", ")} (at most ${MAX_BUNDLE_ENTRIES} entries), or one resource of ${SUPPORTED_RESOURCE_TYPES.join(", ")}. transaction, collection, message and single resources are all or nothing; batch entries succeed or fail alone. Resources become Evoke events (docs/fhir.md has the mapping); a 2xx means Kafka acknowledged every event. Needs FHIR_PATIENT_ID_SALT.`,
        operationId: "submitFhir",
        requestBody: {
          required: true,
          content: {
            [FHIR_JSON]: {
              schema: {
                type: "object",
                required: ["resourceType"],
                description: "A FHIR R4 Bundle or resource (http://hl7.org/fhir/R4/).",
              },
            },
          },
        },
        responses: {
          "200": {
            description:
              "batch or transaction: a batch-response / transaction-response Bundle, one response per entry.",
            content: { [FHIR_JSON]: { schema: { type: "object", description: "FHIR R4 Bundle" } } },
          },
          "202": outcome("A single resource, collection or message: published and acknowledged (information issues)."),
          "400": outcome(
            "Not a FHIR resource, malformed JSON, or a malformed Bundle (issue.expression names the element).",
          ),
          "401": {
            description: "Missing or unknown API key (a problem document, as on every ingest endpoint).",
            content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
          },
          "405": outcome("Only POST."),
          "413": outcome("Body or Bundle too large."),
          "415": outcome("Content-Type is not application/fhir+json."),
          "422": outcome(
            "Resources that cannot be mapped: one issue per bad element, with its FHIRPath; nothing published.",
          ),
          "429": outcome("Over the API key's event rate."),
          "500": outcome("Unexpected failure; nothing acknowledged."),
          "503": outcome(
            "Kafka unreachable, or the endpoint is not configured (FHIR_PATIENT_ID_SALT); nothing acknowledged.",
          ),
        },
      },
    },
    "/fhir/r4/{type}": {
      post: {
        summary: "Submit one FHIR R4 resource (create)",
        description:
          "The FHIR REST form of a single resource: the body must be a resource of {type}. Answered like a single resource at /fhir/r4.",
        operationId: "createFhirResource",
        parameters: [
          { name: "type", in: "path", required: true, schema: { type: "string", enum: SUPPORTED_RESOURCE_TYPES } },
        ],
        requestBody: SINGLE_RESOURCE,
        responses: SINGLE_RESPONSES,
      },
    },
    "/fhir/r4/{type}/{id}": {
      put: {
        summary: "Submit one FHIR R4 resource (update)",
        description:
          "The body must be a resource of {type} whose id is {id}. Answered like a single resource at /fhir/r4.",
        operationId: "updateFhirResource",
        parameters: [
          { name: "type", in: "path", required: true, schema: { type: "string", enum: SUPPORTED_RESOURCE_TYPES } },
          { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9.-]{1,64}$" } },
        ],
        requestBody: SINGLE_RESOURCE,
        responses: SINGLE_RESPONSES,
      },
    },
    "/fhir/r4/metadata": {
      get: {
        summary: "FHIR CapabilityStatement",
        security: [],
        responses: {
          "200": {
            description: "What the FHIR endpoint accepts.",
            content: { [FHIR_JSON]: { schema: { type: "object", description: "FHIR R4 CapabilityStatement" } } },
          },
        },
      },
    },
  };
}

export const FHIR_OPENAPI_SCHEMAS = {
  OperationOutcome: {
    type: "object",
    description: "FHIR R4 OperationOutcome. Diagnostics never echo the value sent.",
    required: ["resourceType", "issue"],
    properties: {
      resourceType: { const: "OperationOutcome" },
      issue: {
        type: "array",
        items: {
          type: "object",
          required: ["severity", "code"],
          properties: {
            severity: { enum: ["fatal", "error", "warning", "information"] },
            code: { type: "string", description: "FHIR issue type, e.g. invalid, required, not-supported, not-found." },
            diagnostics: { type: "string" },
            expression: {
              type: "array",
              items: { type: "string" },
              description: "FHIRPath of the element, e.g. Bundle.entry[3].resource.status.",
            },
          },
        },
      },
    },
  },
};
