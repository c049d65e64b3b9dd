import { Secret } from "@evoke/config";
import { type EventType, exampleEvent } from "@evoke/events";
import { createLogger } from "@evoke/logger";
import { createIngestApp } from "../app.ts";
import { IngestMetrics } from "../metrics.ts";
import { PROBLEM_TYPES, type ProblemSlug } from "../problems.ts";
import { BrokerUnavailableError, type Publisher } from "../publisher.ts";

/*
 * Real responses for the guide: each example request is sent to the real app, in-process, so
 * the documented answers are exactly what ingest says. Only the publisher is replaced: this
 * is documentation, not a test, and it must not need a broker.
 */

export const DOCS_KEY = "demo-secret-from-npm-start";
const FIXED_REQUEST_ID = "req_5f2c9a7e41b3d860";

export interface ExampleExchange {
  readonly title: string;
  readonly slug?: ProblemSlug;
  readonly curl: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function docsApp(publisher: Publisher) {
  return createIngestApp({
    apiKeys: [{ name: "demo", secret: new Secret(DOCS_KEY) }],
    publisher,
    logger: createLogger({ name: "docs", level: "silent" }),
    metrics: new IngestMetrics(),
    maxBodyBytes: 5 * 1024 * 1024,
    rateLimitPerSecond: 0,
    isReady: async () => true,
  });
}

const accepting: Publisher = { publish: async () => undefined };
const unreachable: Publisher = {
  publish: async () => {
    throw new BrokerUnavailableError("Connection refused");
  },
};

interface ExampleRequest {
  readonly title: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Shown in the curl line instead of the body (for bodies too long to print). */
  readonly bodyShownAs?: string;
  readonly publisher?: Publisher;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

function curlFor(request: ExampleRequest): string {
  const lines = [`curl -sS -i -X ${request.method ?? "POST"} "$EVOKE_URL${request.path ?? "/v1/events"}"`];
  for (const [name, value] of Object.entries(request.headers)) {
    // The key comes from the reader's shell, so that header is double-quoted.
    lines.push(
      name === "Authorization" ? `  -H "Authorization: Bearer $EVOKE_KEY"` : `  -H ${shellQuote(`${name}: ${value}`)}`,
    );
  }
  if (request.bodyShownAs !== undefined) lines.push(`  ${request.bodyShownAs}`);
  else if (request.body !== undefined) lines.push(`  --data-binary ${shellQuote(request.body)}`);
  return lines.join(" \\\n");
}

export async function exchange(request: ExampleRequest): Promise<ExampleExchange> {
  const app = docsApp(request.publisher ?? accepting);
  const response = await app.request(request.path ?? "/v1/events", {
    method: request.method ?? "POST",
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = (await response.text()).replaceAll(/req_[0-9a-f]{16}/g, FIXED_REQUEST_ID);
  const headers: Record<string, string> = {};
  for (const name of ["content-type", "retry-after", "www-authenticate", "allow"]) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // NDJSON: keep the lines as they are.
  }
  return { title: request.title, curl: curlFor(request), status: response.status, headers, body };
}

const AUTH = { Authorization: `Bearer ${DOCS_KEY}` };
const STRUCTURED = { ...AUTH, "Content-Type": "application/cloudevents+json" };

export function compact(type: EventType, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(exampleEvent(type, overrides));
}

/** One request per problem type, in the order the guide lists them. */
export function problemExamples(): Promise<ExampleExchange[]> {
  const attended = exampleEvent("evoke.session.attended");
  const requests: (ExampleRequest & { slug: ProblemSlug })[] = [
    {
      slug: "invalid-events",
      title: "A batch with one bad event",
      headers: { ...AUTH, "Content-Type": "application/cloudevents-batch+json" },
      body: `[${compact("evoke.session.attended", { id: "evt_1" })},${JSON.stringify({ ...attended, id: "evt 2", time: "2026-03-14 09:32", data: { ...(attended.data as object), durationMinutes: -5 } })}]`,
    },
    { slug: "malformed-json", title: "A body that is not JSON", headers: STRUCTURED, body: '{"specversion": "1.0",}' },
    {
      slug: "invalid-request",
      title: "application/json without ce-* headers",
      headers: { ...AUTH, "Content-Type": "application/json" },
      body: compact("evoke.session.attended"),
    },
    {
      slug: "invalid-csv",
      title: "A CSV file whose header lacks a column and has one of no meaning",
      path: "/v1/import?kind=sessions",
      headers: { ...AUTH, "Content-Type": "text/csv" },
      body: "session_id,client_id,status,room\nses_1,cli_1,attended,4\n",
    },
    {
      slug: "invalid-rows",
      title: "A CSV file with a bad row, imported all or nothing",
      path: "/v1/import?kind=sessions&allOrNothing=true",
      headers: { ...AUTH, "Content-Type": "text/csv" },
      body: "session_id,client_id,programme_id,therapist_id,status,occurred_at\nses_1,cli_1,prg_1,thr_1,attended,2026-03-14T09:32:00Z\nses_2,cli_1,prg_1,thr_1,attended,14/03/2026\n",
    },
    {
      slug: "unauthorized",
      title: "No API key",
      headers: { "Content-Type": "application/cloudevents+json" },
      body: compact("evoke.session.attended"),
    },
    {
      slug: "not-found",
      title: "A misspelt path",
      path: "/v1/event",
      headers: STRUCTURED,
      body: compact("evoke.session.attended"),
    },
    { slug: "method-not-allowed", title: "GET on the events endpoint", method: "GET", headers: AUTH },
    {
      slug: "payload-too-large",
      title: "A body over INGEST_MAX_BODY_BYTES (5 MiB by default)",
      headers: STRUCTURED,
      body: compact("evoke.programme.registered", { padding: "x".repeat(5 * 1024 * 1024) }),
      bodyShownAs: "--data-binary @six-megabytes.json",
    },
    {
      slug: "batch-too-large",
      title: "A batch of 1,001 events",
      headers: { ...AUTH, "Content-Type": "application/cloudevents-batch+json" },
      body: `[${Array.from({ length: 1_001 }, (_, n) => compact("evoke.session.scheduled", { id: `evt_${n}` })).join(",")}]`,
      bodyShownAs: "--data-binary @batch-of-1001.json",
    },
    {
      slug: "unsupported-media-type",
      title: "A CSV body",
      headers: { ...AUTH, "Content-Type": "text/csv" },
      body: "clientId,enrolledAt",
    },
    {
      slug: "broker-unavailable",
      title: "Kafka unreachable",
      headers: STRUCTURED,
      body: compact("evoke.session.attended"),
      publisher: unreachable,
    },
  ];
  return Promise.all(requests.map(async (request) => ({ ...(await exchange(request)), slug: request.slug })));
}

/** Problem types the guide describes without a request (they need a particular state). */
export const DESCRIBED_ONLY: readonly ProblemSlug[] = ["rate-limited", "internal"];

export function problemTitle(slug: ProblemSlug): string {
  return PROBLEM_TYPES[slug].title;
}
