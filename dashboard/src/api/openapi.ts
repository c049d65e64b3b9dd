import { z } from "zod";
import { PROBLEM_TYPES } from "../http/problems.ts";
import { NewAnnotationSchema } from "./annotations.ts";
import type { Endpoint } from "./endpoint.ts";
import { ENDPOINTS } from "./endpoints.ts";
import { ErasureRequestSchema } from "./erasures.ts";
import { cohortQuerySchema } from "./outcome-endpoints.ts";

/*
 * The OpenAPI 3.1 document of /api/v1, generated from the endpoint definitions (paths, query
 * schemas, CSV forms) and the problem catalogue, so it cannot drift from what the API does.
 */

const openApiPath = (path: string) => path.replaceAll(/:(\w+)/g, "{$1}");

const problem = { $ref: "#/components/schemas/Problem" };
const problemResponses = (statuses: readonly number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: Object.values(PROBLEM_TYPES)
          .filter((type) => type.status === status)
          .map((type) => type.title)
          .join("; "),
        content: { "application/problem+json": { schema: problem } },
      },
    ]),
  );

export interface QueryProperty {
  readonly description?: string;
  readonly enum?: string[];
  readonly default?: unknown;
  readonly [keyword: string]: unknown;
}

/** An endpoint's query parameters as JSON Schema properties (for OpenAPI and the guide). */
export function queryProperties(definition: Endpoint<z.ZodType, unknown>): {
  properties: Record<string, QueryProperty>;
  required: string[];
} {
  const schema = z.toJSONSchema(definition.query, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, QueryProperty>;
    required?: string[];
  };
  return { properties: schema.properties ?? {}, required: schema.required ?? [] };
}

function queryParameters(definition: Endpoint<z.ZodType, unknown>) {
  const schema = queryProperties(definition);
  const parameters = Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: "query",
      required: schema.required.includes(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
  if (definition.query === cohortQuerySchema) {
    parameters.push(
      ...["name", "programme", "therapist", "from", "to", "referral", "focus", "tag"].map((field) => ({
        name: `c1.${field}`,
        in: "query",
        required: field === "name",
        description: `Cohort 1 (the reference): ${field}. Cohorts 2-6 take the same fields as c2.${field} … c6.${field}.`,
        schema: { type: "string" },
      })),
    );
  }
  if (definition.table !== undefined) {
    parameters.push({
      name: "format",
      in: "query",
      required: false,
      description: "json (default) or csv.",
      schema: { type: "string", enum: ["json", "csv"] } as Record<string, unknown>,
    });
  }
  return parameters;
}

function operation(definition: Endpoint<z.ZodType, unknown>) {
  const pathParameters = Object.entries(definition.pathParams ?? {}).map(([name, description]) => ({
    name,
    in: "path",
    required: true,
    description,
    schema: { type: "string" },
  }));
  return {
    get: {
      summary: definition.summary,
      description:
        definition.audit === undefined
          ? definition.description
          : `${definition.description} Each call, refused ones included, is recorded in the access audit trail (action ${definition.audit.action}).`,
      parameters: [...pathParameters, ...queryParameters(definition)],
      responses: {
        "200": {
          description: "The answer.",
          content: {
            "application/json": { schema: { type: "object" } },
            ...(definition.table === undefined ? {} : { "text/csv": { schema: { type: "string" } } }),
          },
        },
        ...problemResponses([400, 401, 403, 404, 500]),
      },
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const definition of ENDPOINTS) {
    paths[openApiPath(definition.path)] = operation(definition);
  }
  paths["/annotations"] = {
    ...paths["/annotations"],
    post: {
      summary: "Add a chart annotation",
      description:
        "Directors and analysts; a token scoped to programmes annotates only those. Recorded in the access audit trail (annotation.add).",
      requestBody: {
        required: true,
        content: { "application/json": { schema: z.toJSONSchema(NewAnnotationSchema, { io: "input" }) } },
      },
      responses: {
        "201": { description: "Added; the body holds its annotationId." },
        ...problemResponses([400, 401, 403, 404]),
      },
    },
  };
  paths["/annotations/{annotationId}"] = {
    delete: {
      summary: "Remove a chart annotation",
      description: "Recorded in the access audit trail (annotation.delete).",
      parameters: [{ name: "annotationId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: { "204": { description: "Removed." }, ...problemResponses([401, 403, 404]) },
    },
  };
  paths["/erasures"] = {
    post: {
      summary: "Erase a client (GDPR erasure on request)",
      description:
        "Directors whose token sees every programme. Removes, in one transaction, the client's enrolments and episodes, sessions, transcripts, codings with their utterance codes, readiness measures, human ratings and every rollup they fed, and records a tombstone (erased_clients: the pseudonymous id, when, by whom) so that a redelivered or replayed event of the client is skipped. `reason` is accepted but not stored. Recorded in the access audit trail (client.erase, with the counts). A client erased before answers 200 with newlyErased false and nothing removed; an id Evoke has never seen answers 404.",
      requestBody: {
        required: true,
        content: { "application/json": { schema: z.toJSONSchema(ErasureRequestSchema, { io: "input" }) } },
      },
      responses: {
        "200": {
          description: "Erased: {clientId, newlyErased, erasedAt, erasedBy, removed: {table: rows}}.",
          content: { "application/json": { schema: { type: "object" } } },
        },
        ...problemResponses([400, 401, 403, 404]),
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Evoke dashboard API",
      version: "1.0.0",
      description:
        "Programme-level MI fidelity (MITI 4.2.1) against client readiness and retention. Every answer is limited to the programmes of the token. Tabular answers also come as CSV with ?format=csv. Associations are associations, not effects.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "A token from DASHBOARD_TOKENS (name:secret:role[:programmes]).",
        },
      },
      schemas: {
        Problem: {
          type: "object",
          description: "RFC 9457 problem details.",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string", enum: Object.keys(PROBLEM_TYPES).map((slug) => `/problems/${slug}`) },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            errors: {
              type: "array",
              items: {
                type: "object",
                properties: { field: { type: "string" }, reason: { type: "string" } },
              },
            },
          },
        },
      },
    },
  };
}
