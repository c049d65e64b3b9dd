import type { Context } from "hono";
import type { IngestEnv } from "./env.ts";

/*
 * The closed set of ways a request can fail, each an RFC 9457 problem type. `type` is a
 * relative URI: resolved against the request it names this service's /problems/<slug>, which
 * explains the problem; docs/ingest.md lists them all with examples.
 */

export const PROBLEM_TYPES = {
  "invalid-events": {
    status: 400,
    title: "Some events are not valid",
    fix: "Correct each field listed in errors[] (index is the event's position in a batch) and resend the whole request: nothing was published. Besides each field's own rules, Evoke refuses what it could not store or what cannot be true: text with control characters other than tab, line feed and carriage return, or with an unpaired UTF-16 surrogate (a lone \\uD800-\\uDFFF escape, often a string cut in the middle of an emoji); a time more than INGEST_MAX_FUTURE_SKEW_HOURS (24 by default) hours after Evoke received the event (a booking's scheduledAt: INGEST_MAX_SCHEDULE_AHEAD_DAYS, 730 days); any time before INGEST_EARLIEST_DATE (2000-01-01 by default), where placeholders such as 1900-01-01 and 1970-01-01 live; a measure (a readiness score or scale, minutes) other than 0 outside 1e-30 to 1e30 in size.",
  },
  "malformed-json": {
    status: 400,
    title: "The body is not valid JSON",
    fix: "Send one JSON document: a CloudEvent object (structured mode), an array of them (batch mode) or the event's data (binary mode).",
  },
  "invalid-request": {
    status: 400,
    title: "The request is not a CloudEvents request Evoke understands",
    fix: "Check the content type and body shape against the mode you use (see detail).",
  },
  "invalid-csv": {
    status: 400,
    title: "The CSV file cannot be imported",
    fix: "Correct what detail names (the header's columns, the encoding, the delimiter or the quoting; line says where) and upload the file again: nothing was published. docs/import.md lists each kind's columns.",
  },
  "invalid-rows": {
    status: 400,
    title: "Some rows of the CSV file are not valid",
    fix: "Correct the rows listed in errors[] (by line and column) and upload the file again: with allOrNothing, nothing was published.",
  },
  unauthorized: {
    status: 401,
    title: "A valid API key is required",
    fix: "Send Authorization: Bearer <secret> with a key from INGEST_API_KEYS.",
  },
  "not-found": { status: 404, title: "No such endpoint", fix: "Events go to POST /v1/events; see GET /openapi.json." },
  "method-not-allowed": {
    status: 405,
    title: "Method not allowed",
    fix: "See the Allow header; events are sent with POST /v1/events.",
  },
  "payload-too-large": {
    status: 413,
    title: "The request body is too large",
    fix: "Split the events over several requests, or stream them as application/x-ndjson, which has no total size limit.",
  },
  "batch-too-large": {
    status: 413,
    title: "Too many events in one batch",
    fix: "Send at most 1,000 events per batch, or stream them as application/x-ndjson.",
  },
  "unsupported-media-type": {
    status: 415,
    title: "Unsupported content type",
    fix: "Use application/cloudevents+json, application/cloudevents-batch+json, application/json with ce-* headers, or application/x-ndjson.",
  },
  "rate-limited": {
    status: 429,
    title: "Too many events for this API key",
    fix: "Wait for Retry-After seconds, then resend; or spread the load over time.",
  },
  internal: {
    status: 500,
    title: "Evoke could not process the request",
    fix: "Retry later; if it persists, give the requestId to whoever runs Evoke. Nothing was acknowledged.",
  },
  "broker-unavailable": {
    status: 503,
    title: "Evoke cannot reach its event log (Kafka) right now",
    fix: "Retry the whole request after Retry-After seconds: nothing was acknowledged, and resending an event (same source and id) never counts it twice.",
  },
} as const satisfies Record<string, { status: number; title: string; fix: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

/** A request failure with everything its response needs. Thrown anywhere, mapped in one onError. */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  readonly slug: ProblemSlug;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    slug: ProblemSlug,
    detail: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.slug = slug;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return PROBLEM_TYPES[this.slug].status;
  }

  document(requestId: string | undefined): ProblemDocument {
    return {
      type: `/problems/${this.slug}`,
      title: PROBLEM_TYPES[this.slug].title,
      status: this.status,
      detail: this.message,
      ...(requestId === undefined ? {} : { requestId }),
      ...this.extensions,
    };
  }
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemResponse(c: Context<IngestEnv>, problem: ProblemError): Response {
  const body = JSON.stringify(problem.document(c.get("requestId")));
  return new Response(body, {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...problem.headers },
  });
}
