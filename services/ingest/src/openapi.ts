import { EVENT_TYPE_NAMES, eventJsonSchema, type JsonSchema } from "@evoke/events";
import { DEFAULT_IMPORT_SOURCE, IMPORT_KINDS, MAX_LISTED_ERRORS } from "@evoke/import";
import { FHIR_OPENAPI_SCHEMAS, fhirOpenApiPaths } from "./fhir/openapi-paths.ts";
import { MAX_BATCH_EVENTS, MEDIA_TYPES } from "./http-binding.ts";
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, type ProblemSlug } from "./problems.ts";

/** Component names may not contain dots in every tool; `evoke.session.attended` → `EvokeSessionAttended`. */
function componentName(type: string): string {
  return type
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function problemResponse(description: string, slugs: readonly ProblemSlug[]) {
  return {
    description,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: "#/components/schemas/Problem" },
        examples: Object.fromEntries(
          slugs.map((slug) => [
            slug,
            {
              summary: PROBLEM_TYPES[slug].title,
              value: {
                type: `/problems/${slug}`,
                title: PROBLEM_TYPES[slug].title,
                status: PROBLEM_TYPES[slug].status,
                detail: "…",
                requestId: "req_0123456789abcdef",
              },
            },
          ]),
        ),
      },
    },
  };
}

const RETRY_AFTER = { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } };

const IMPORT_REPORT_SCHEMA = {
  type: "object",
  description:
    "The row report of a CSV import. Only rejected rows are listed, by line and column; values are never echoed.",
  required: ["kind", "rows", "validRows", "rejectedRows", "events", "published", "dryRun", "errors"],
  properties: {
    kind: { type: "string", enum: [...IMPORT_KINDS] },
    rows: { type: "integer", description: "Data rows read (header and blank lines not counted)." },
    validRows: { type: "integer" },
    rejectedRows: { type: "integer" },
    events: { type: "integer", description: "Events the valid rows became." },
    published: { type: "integer", description: "Events published and acknowledged by Kafka (0 for a dry run)." },
    dryRun: { type: "boolean" },
    errors: {
      type: "array",
      maxItems: MAX_LISTED_ERRORS,
      items: {
        type: "object",
        required: ["line", "reason"],
        properties: {
          line: { type: "integer", description: "The row's line in the file (the header is line 1)." },
          column: { type: "string", description: "The CSV column, when the error is about one." },
          reason: { type: "string" },
        },
      },
    },
    errorsTotal: { type: "integer", description: "Present when more errors were found than listed." },
  },
};

/** POST /v1/import: a CSV file through the same validation and publisher as /v1/events. */
function importOperation() {
  const flag = (name: string, description: string) => ({
    name,
    in: "query",
    required: false,
    description,
    schema: { type: "boolean", default: false },
  });
  return {
    post: {
      summary: "Import a CSV file",
      description: `A CSV export (UTF-8, comma-separated, header row) of one kind, as text/csv or a multipart/form-data upload (field file), at most INGEST_MAX_BODY_BYTES. Each row becomes CloudEvents (ids derived from the row, so importing a file again counts nothing twice), validated like POST /v1/events. Bad rows are reported by line and column while the good rows are published; 202 means Kafka acknowledged them. The column set of each kind is in docs/import.md.`,
      operationId: "importCsv",
      parameters: [
        { name: "kind", in: "query", required: true, schema: { type: "string", enum: [...IMPORT_KINDS] } },
        flag("dryRun", "Check the file and report, publish nothing (200)."),
        flag("allOrNothing", "Publish only if every row is valid; else 400 invalid-rows and nothing published."),
        {
          name: "source",
          in: "query",
          required: false,
          description: "The CloudEvents source of the events.",
          schema: { type: "string", default: DEFAULT_IMPORT_SOURCE },
        },
      ],
      requestBody: {
        required: true,
        content: {
          "text/csv": { schema: { type: "string" } },
          "multipart/form-data": {
            schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } },
          },
        },
      },
      responses: {
        "200": {
          description: "dryRun: the row report; nothing was published.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ImportReport" } } },
        },
        "202": {
          description:
            "The valid rows' events were published and acknowledged by Kafka; the report lists the rejected rows.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/ImportReport" } } },
        },
        "400": problemResponse(
          "The file cannot be read (header, encoding, delimiter, quoting), a row is bad with allOrNothing (the report is in report), or the query is wrong.",
          ["invalid-csv", "invalid-rows", "invalid-request"],
        ),
        "401": problemResponse("Missing or unknown API key.", ["unauthorized"]),
        "413": problemResponse("The file is larger than INGEST_MAX_BODY_BYTES: use pnpm mi import.", [
          "payload-too-large",
        ]),
        "415": problemResponse("Not text/csv or multipart/form-data.", ["unsupported-media-type"]),
        "503": {
          ...problemResponse("Kafka unreachable; upload the file again (already published rows count once).", [
            "broker-unavailable",
          ]),
          headers: RETRY_AFTER,
        },
      },
    },
  };
}

/** The OpenAPI 3.1 description of the ingest API, built from the event catalogue. */
export function openApiDocument(): JsonSchema {
  const eventSchemas = Object.fromEntries(
    EVENT_TYPE_NAMES.map((type) => {
      const { $schema: _draft, $id: _id, ...schema } = eventJsonSchema(type);
      return [componentName(type), schema];
    }),
  );
  const anyEvent = {
    oneOf: EVENT_TYPE_NAMES.map((type) => ({ $ref: `#/components/schemas/${componentName(type)}` })),
    discriminator: {
      propertyName: "type",
      mapping: Object.fromEntries(
        EVENT_TYPE_NAMES.map((type) => [type, `#/components/schemas/${componentName(type)}`]),
      ),
    },
  };
  const ceHeader = (name: string, required: boolean, description: string) => ({
    name: `ce-${name}`,
    in: "header",
    required: false,
    description: `${required ? "Binary mode: required. " : "Binary mode: optional. "}${description}`,
    schema: { type: "string" },
  });

  return {
    openapi: "3.1.0",
    info: {
      title: "Evoke ingest API",
      version: "1.0.0",
      description:
        "Send intake, scheduling, readiness, transcript and fidelity events to Evoke as CloudEvents 1.0, or as FHIR R4 resources at /fhir/r4 (docs/fhir.md). A 202 means Kafka has durably acknowledged every event. See docs/ingest.md for a guide with curl examples.",
    },
    servers: [{ url: "http://127.0.0.1:8080", description: "npm start" }],
    security: [{ apiKey: [] }],
    paths: {
      "/v1/events": {
        post: {
          summary: "Submit events",
          description: `Structured mode (one event), batch mode (1-${MAX_BATCH_EVENTS} events, all or nothing), binary mode (ce-* headers, data as the body) or NDJSON (one structured event per line, any length; outcomes stream back per line).`,
          operationId: "submitEvents",
          parameters: [
            ceHeader("specversion", true, '"1.0". Its presence selects binary mode.'),
            ceHeader("id", true, "Unique per source."),
            ceHeader("source", true, "The sending system, a URI reference."),
            ceHeader("type", true, "One of the evoke.* types."),
            ceHeader("time", true, "RFC 3339 with offset."),
            ceHeader("subject", false, "The pseudonymous client ID; required for client events."),
          ],
          requestBody: {
            required: true,
            content: {
              [MEDIA_TYPES.structured]: { schema: anyEvent },
              [MEDIA_TYPES.batch]: {
                schema: { type: "array", minItems: 1, maxItems: MAX_BATCH_EVENTS, items: anyEvent },
              },
              [MEDIA_TYPES.binary]: {
                schema: { type: "object", description: "The event's data; attributes in ce-* headers." },
              },
              [MEDIA_TYPES.ndjson]: {
                schema: { type: "string", description: "One structured-mode CloudEvent (JSON) per line." },
              },
            },
          },
          responses: {
            "200": {
              description: "NDJSON only: one outcome per line, then a summary line.",
              content: { "application/x-ndjson": { schema: { $ref: "#/components/schemas/NdjsonOutcome" } } },
            },
            "202": {
              description: "Every event was published and acknowledged by Kafka.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["accepted"],
                    properties: { accepted: { type: "integer", minimum: 1 } },
                  },
                },
              },
            },
            "400": problemResponse("Invalid events (each listed in errors[]), malformed JSON or an unusable request.", [
              "invalid-events",
              "malformed-json",
              "invalid-request",
            ]),
            "401": problemResponse("Missing or unknown API key.", ["unauthorized"]),
            "413": problemResponse("Body or batch too large.", ["payload-too-large", "batch-too-large"]),
            "415": problemResponse("Unsupported content type.", ["unsupported-media-type"]),
            "429": { ...problemResponse("Over the API key's event rate.", ["rate-limited"]), headers: RETRY_AFTER },
            "500": problemResponse("Unexpected failure; nothing acknowledged.", ["internal"]),
            "503": {
              ...problemResponse("Kafka unreachable; nothing acknowledged.", ["broker-unavailable"]),
              headers: RETRY_AFTER,
            },
          },
        },
      },
      ...fhirOpenApiPaths(),
      "/v1/import": importOperation(),
      "/healthz": {
        get: { summary: "Liveness", security: [], responses: { "200": { description: "The process is up." } } },
      },
      "/readyz": {
        get: {
          summary: "Readiness: Kafka answers",
          security: [],
          responses: {
            "200": { description: "Ready." },
            "503": problemResponse("Kafka does not answer.", ["broker-unavailable"]),
          },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          responses: {
            "200": {
              description: "Prometheus text format.",
              content: { "text/plain": { schema: { type: "string" } } },
            },
          },
        },
      },
      "/openapi.json": {
        get: { summary: "This document", security: [], responses: { "200": { description: "OpenAPI 3.1." } } },
      },
      "/problems/{slug}": {
        get: {
          summary: "Explains a problem type",
          security: [],
          parameters: [
            { name: "slug", in: "path", required: true, schema: { type: "string", enum: Object.keys(PROBLEM_TYPES) } },
          ],
          responses: { "200": { description: "Title, status and how to fix it." } },
        },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "A secret from INGEST_API_KEYS." } },
      schemas: {
        ...eventSchemas,
        ...FHIR_OPENAPI_SCHEMAS,
        Problem: {
          type: "object",
          description: "RFC 9457 problem details.",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string", format: "uri-reference" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            requestId: { type: "string" },
            problem: {
              type: "string",
              enum: ["encoding", "delimiter", "header", "malformed", "empty"],
              description: "invalid-csv: what is wrong with the file.",
            },
            line: { type: "integer", description: "invalid-csv: the line of the file it is on." },
            missing: {
              type: "array",
              items: { type: "string" },
              description: "invalid-csv: required columns the header lacks.",
            },
            unknown: {
              type: "array",
              items: { type: "string" },
              description: "invalid-csv: header columns of no meaning for the kind.",
            },
            report: { $ref: "#/components/schemas/ImportReport", description: "invalid-rows: the row report." },
            errors: {
              type: "array",
              description: "invalid-events: one entry per problem, at most 1,000.",
              items: {
                type: "object",
                required: ["index", "field", "pointer", "reason"],
                properties: {
                  index: { type: "integer", description: "The event's position in the request (0 for single events)." },
                  field: {
                    type: "string",
                    description: "Dotted path, e.g. data.utterances[3].text, or the ce-* header.",
                  },
                  pointer: { type: "string", description: "RFC 6901 JSON Pointer into the event." },
                  reason: { type: "string" },
                },
              },
            },
          },
        },
        ImportReport: IMPORT_REPORT_SCHEMA,
        NdjsonOutcome: {
          oneOf: [
            {
              type: "object",
              required: ["line", "status"],
              properties: { line: { type: "integer" }, status: { const: "accepted" } },
            },
            {
              type: "object",
              required: ["line", "status", "errors"],
              properties: { line: { type: "integer" }, status: { const: "rejected" }, errors: { type: "array" } },
            },
            {
              type: "object",
              required: ["line", "status", "reason"],
              properties: { line: { type: "integer" }, status: { const: "failed" }, reason: { type: "string" } },
            },
            {
              type: "object",
              required: ["summary"],
              properties: {
                summary: {
                  type: "object",
                  properties: {
                    lines: { type: "integer" },
                    accepted: { type: "integer" },
                    rejected: { type: "integer" },
                    failed: { type: "integer" },
                    complete: { type: "boolean" },
                    retryFromLine: { type: "integer" },
                  },
                },
              },
            },
          ],
        },
      },
    },
  };
}
