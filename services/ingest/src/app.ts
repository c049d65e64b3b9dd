import { randomBytes } from "node:crypto";
import type { ApiKey, FhirConfig } from "@evoke/config";
import { DEFAULT_TIME_LIMITS, type TimeLimits } from "@evoke/events";
import type { Logger } from "@evoke/logger";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { createAuthenticator } from "./auth.ts";
import type { IngestEnv } from "./env.ts";
import { acceptEvents, BROKER_RETRY_AFTER_SECONDS, type EventsDependencies } from "./events-handler.ts";
import { createFhirRoutes } from "./fhir/routes.ts";
import { MAX_BATCH_EVENTS, modeOf } from "./http-binding.ts";
import { importCsv } from "./import-handler.ts";
import type { IngestMetrics } from "./metrics.ts";
import { streamNdjson } from "./ndjson.ts";
import { openApiDocument } from "./openapi.ts";
import { PROBLEM_TYPES, ProblemError, type ProblemSlug, problemResponse } from "./problems.ts";
import type { Publisher } from "./publisher.ts";
import { RateLimiter } from "./rate-limiter.ts";

export interface IngestAppOptions {
  readonly apiKeys: readonly ApiKey[];
  readonly publisher: Publisher;
  readonly logger: Logger;
  readonly metrics: IngestMetrics;
  readonly maxBodyBytes: number;
  /** Events per second per API key; 0 turns the limit off. */
  readonly rateLimitPerSecond: number;
  /** Whether Kafka answers, for /readyz. */
  readonly isReady: () => Promise<boolean>;
  readonly now?: () => Date;
  /** The FHIR R4 endpoint's settings; its POST answers "not configured" without a salt. */
  readonly fhir?: FhirConfig;
  /** How far events' times may stray from receipt (INGEST_MAX_FUTURE_SKEW_HOURS...); default DEFAULT_TIME_LIMITS. */
  readonly timeLimits?: TimeLimits;
}

const NO_FHIR: FhirConfig = {
  patientIdSalt: null,
  patientIdentifierSystem: null,
  programmeMap: new Map(),
  defaultProgrammeId: null,
};

/**
 * The ingest HTTP API. Routes only decode, call the events functions and map errors; every
 * failure becomes an RFC 9457 problem document in the one onError below.
 */
export function createIngestApp(options: IngestAppOptions): Hono<IngestEnv> {
  const { logger, metrics } = options;
  const authenticate = createAuthenticator(options.apiKeys);
  const dependencies: EventsDependencies = {
    publisher: options.publisher,
    metrics,
    rateLimiter: new RateLimiter(options.rateLimitPerSecond, MAX_BATCH_EVENTS),
    maxBodyBytes: options.maxBodyBytes,
    now: options.now ?? (() => new Date()),
    timeLimits: options.timeLimits ?? DEFAULT_TIME_LIMITS,
  };
  const app = new Hono<IngestEnv>();

  // Request id, metrics and one access-log line per request (no bodies, no secrets).
  app.use(async (c, next) => {
    const began = performance.now();
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    c.set("requestId", requestId);
    await next();
    // Set on the final response, which for errors is the one onError built.
    c.res.headers.set("x-request-id", requestId);
    const route = c.req.routePath;
    metrics.request(route, c.res.status);
    logger.info(
      {
        requestId,
        method: c.req.method,
        route,
        status: c.res.status,
        apiKey: c.get("apiKeyName"),
        ms: Math.round(performance.now() - began),
      },
      "request",
    );
  });

  // Public: they expose no data, and probes and integrators need them without a key.
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (await options.isReady()) return c.json({ status: "ready" });
    throw new ProblemError("broker-unavailable", "Kafka does not answer.", {
      headers: { "retry-after": String(BROKER_RETRY_AFTER_SECONDS) },
    });
  });
  app.get("/openapi.json", (c) => c.json(openApiDocument()));
  app.get("/problems/:slug", (c) => {
    const slug = c.req.param("slug");
    if (!Object.hasOwn(PROBLEM_TYPES, slug)) throw new ProblemError("not-found", `There is no problem type "${slug}".`);
    const problem = PROBLEM_TYPES[slug as ProblemSlug];
    return c.json({ type: `/problems/${slug}`, ...problem });
  });

  // Everything else needs an API key.
  const requireKey = createMiddleware<IngestEnv>(async (c, next) => {
    const result = authenticate(c.req.header("authorization"));
    if (!result.ok) {
      metrics.rejected(undefined, "unauthorized");
      throw new ProblemError("unauthorized", result.reason, {
        headers: { "www-authenticate": 'Bearer realm="evoke-ingest"' },
      });
    }
    c.set("apiKeyName", result.keyName);
    await next();
  });
  app.use("/v1/*", requireKey);
  app.use("/metrics", requireKey);
  // The CapabilityStatement is public, as FHIR clients read it before authenticating.
  app.use("/fhir/r4/*", (c, next) => (c.req.path === "/fhir/r4/metadata" ? next() : requireKey(c, next)));

  app.get("/metrics", async (c) => {
    c.header("content-type", metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  app.post("/v1/events", async (c) => {
    const mode = modeOf(c.req.header("content-type"), c.req.header("ce-specversion") !== undefined);
    return mode === "ndjson" ? streamNdjson(c, dependencies) : acceptEvents(c, mode, dependencies);
  });
  app.all("/v1/events", () => {
    throw new ProblemError("method-not-allowed", "Send events with POST.", { headers: { allow: "POST" } });
  });
  app.post("/v1/import", (c) => importCsv(c, dependencies));
  app.all("/v1/import", () => {
    throw new ProblemError("method-not-allowed", "Upload CSV files with POST.", { headers: { allow: "POST" } });
  });

  app.route("/fhir/r4", createFhirRoutes(options.fhir ?? NO_FHIR, dependencies, logger));

  app.notFound((c) =>
    problemResponse(
      c,
      new ProblemError(
        "not-found",
        "No such endpoint. Events go to POST /v1/events; the API is described at /openapi.json.",
      ),
    ),
  );
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error);
    // Unexpected: log what it was (never the request body) and answer with a generic 500.
    logger.error(
      { requestId: c.get("requestId"), error: { name: error.name, message: error.message } },
      "request failed",
    );
    return problemResponse(
      c,
      new ProblemError("internal", "The request failed inside Evoke; nothing was acknowledged."),
    );
  });
  return app;
}
