import type { FhirConfig } from "@evoke/config";
import type { Logger } from "@evoke/logger";
import { type Context, Hono } from "hono";
import { readBodyLimited } from "../body.ts";
import type { IngestEnv } from "../env.ts";
import { type EventsDependencies, publishAcknowledged, takeRate } from "../events-handler.ts";
import { mediaType, parseJson } from "../http-binding.ts";
import { ProblemError } from "../problems.ts";
import { planFhirRequest } from "./bundle.ts";
import { capabilityStatement } from "./capability.ts";
import { error, FHIR_JSON, type IssueCode, operationOutcome, requestOutcome } from "./outcome.ts";

/*
 * POST /fhir/r4 and GET /fhir/r4/metadata. Authentication is the ingest API key, as for
 * /v1/events (app.ts applies it). Failures are OperationOutcomes, not problem documents: the
 * callers are FHIR clients. The events go through the CloudEvents path's own publishAcknowledged,
 * so a 2xx means Kafka has acknowledged every event.
 */

const ACCEPTED_MEDIA_TYPES = new Set([FHIR_JSON, "application/json"]);

/** The problem types ProblemError carries, as OperationOutcome issue codes. */
const ISSUE_CODES: Partial<Record<string, IssueCode>> = {
  "malformed-json": "structure",
  "payload-too-large": "too-costly",
  "rate-limited": "throttled",
  "broker-unavailable": "transient",
  unauthorized: "login",
};

function fhirJson(status: number, resource: unknown, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(resource), {
    status,
    headers: { "content-type": `${FHIR_JSON}; charset=utf-8`, ...headers },
  });
}

/** An OperationOutcome when the body is not the resource the URL names, else undefined. */
function urlMismatch(body: unknown, expected: { type: string; id?: string }) {
  const resource = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  if (resource.resourceType !== expected.type) {
    return operationOutcome([
      {
        issue: error("resourceType", `must be ${expected.type}, the type the URL names`, "invalid"),
        root: "Resource",
      },
    ]);
  }
  if (expected.id !== undefined && resource.id !== expected.id) {
    return operationOutcome([
      { issue: error("id", "must equal the id the URL names (PUT [base]/Type/id)", "invalid"), root: expected.type },
    ]);
  }
  return undefined;
}

/** The source of the events a FHIR client sends: one per API key, as each key is one sending system. */
export function fhirSourceOf(apiKeyName: string): string {
  return `urn:evoke:fhir:${apiKeyName}`;
}

export function createFhirRoutes(fhir: FhirConfig, dependencies: EventsDependencies, logger: Logger): Hono<IngestEnv> {
  const routes = new Hono<IngestEnv>();

  routes.get("/metadata", () => fhirJson(200, capabilityStatement()));

  /**
   * Reads, maps and publishes one request. `expected` is what the URL names in the FHIR REST
   * style (POST [base]/Appointment, PUT [base]/Appointment/a1): the body must be that resource.
   */
  const accept = async (c: Context<IngestEnv>, expected?: { type: string; id?: string }): Promise<Response> => {
    if (fhir.patientIdSalt === null) {
      return fhirJson(
        503,
        requestOutcome(
          "error",
          "not-supported",
          "The FHIR endpoint is off: whoever runs Evoke must set FHIR_PATIENT_ID_SALT (the secret that makes Patient references pseudonymous).",
        ),
      );
    }
    const type = mediaType(c.req.header("content-type"));
    if (type === undefined || !ACCEPTED_MEDIA_TYPES.has(type)) {
      return fhirJson(
        415,
        requestOutcome(
          "error",
          "not-supported",
          `Content-Type must be ${FHIR_JSON} (or application/json), not ${type ?? "missing"}.`,
        ),
      );
    }
    const body = parseJson(await readBodyLimited(c.req.raw, dependencies.maxBodyBytes));
    const mismatch = expected === undefined ? undefined : urlMismatch(body, expected);
    if (mismatch !== undefined) return fhirJson(400, mismatch);
    const apiKeyName = c.get("apiKeyName");
    const plan = planFhirRequest(body, fhir, {
      source: fhirSourceOf(apiKeyName),
      receivedAt: dependencies.now().toISOString(),
      timeLimits: dependencies.timeLimits,
    });
    if (plan.kind === "rejected") {
      dependencies.metrics.rejected(undefined, "invalid");
      return fhirJson(plan.answer.status, plan.answer.resource);
    }
    if (plan.refused > 0) dependencies.metrics.rejected(undefined, "invalid", plan.refused);
    takeRate(dependencies, plan.events, apiKeyName);
    await publishAcknowledged(dependencies, plan.events, apiKeyName);
    const answer = plan.accepted();
    return fhirJson(answer.status, answer.resource);
  };

  routes.post("/", (c) => accept(c));
  routes.post("/:type{[A-Z][A-Za-z]+}", (c) => accept(c, { type: c.req.param("type") }));
  routes.put("/:type{[A-Z][A-Za-z]+}/:id{[A-Za-z0-9.-]{1,64}}", (c) =>
    accept(c, { type: c.req.param("type"), id: c.req.param("id") }),
  );

  routes.all("/", () =>
    fhirJson(405, requestOutcome("error", "not-supported", "Send resources with POST."), { allow: "POST" }),
  );

  // Request failures the shared code throws (body too large, bad JSON, broker down, rate limit)
  // become OperationOutcomes with the same status and headers.
  routes.onError((failure, c) => {
    if (!(failure instanceof ProblemError)) {
      // Unexpected: log what it was (never the body) and answer like app.ts's generic 500.
      logger.error(
        { requestId: c.get("requestId"), error: { name: failure.name, message: failure.message } },
        "FHIR request failed",
      );
      return fhirJson(
        500,
        requestOutcome("fatal", "exception", "The request failed inside Evoke; nothing was acknowledged."),
      );
    }
    return fhirJson(
      failure.status,
      requestOutcome(
        failure.status >= 500 ? "fatal" : "error",
        ISSUE_CODES[failure.slug] ?? "processing",
        failure.message,
      ),
      failure.headers,
    );
  });
  return routes;
}
