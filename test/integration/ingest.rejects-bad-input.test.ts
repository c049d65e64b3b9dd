import { exampleEvent } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestIngest, messageCount, postEvents, TEST_KEY, type TestIngest } from "../support/ingest.ts";

/*
 * The malformed-input suite: every request here is wrong in its own way. Each must get the
 * right 4xx with an RFC 9457 problem document that names what is wrong, and none may publish
 * anything: the suite's topic must still be empty at the end.
 */

const STRUCTURED = { "content-type": "application/cloudevents+json" };
const BATCH = { "content-type": "application/cloudevents-batch+json" };
const BINARY = {
  "content-type": "application/json",
  "ce-specversion": "1.0",
  "ce-id": "evt_binary",
  "ce-source": "urn:clinic:north",
  "ce-type": "evoke.session.missed",
  "ce-time": "2026-03-14T09:30:00Z",
  "ce-subject": "cli_7f3a9c",
};
const MISSED_DATA = JSON.stringify(exampleEvent("evoke.session.missed").data);
const MAX_BODY_BYTES = 64 * 1024;

interface BadRequest {
  readonly name: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly path?: string;
  readonly status: number;
  readonly problem: string;
  /** For invalid-events: a field that must be named, and words its reason must contain. */
  readonly field?: string;
  readonly reason?: string;
  readonly index?: number;
}

const event = (overrides: Record<string, unknown>) => JSON.stringify(exampleEvent("evoke.client.enrolled", overrides));
const withData = (type: Parameters<typeof exampleEvent>[0], change: (data: Record<string, unknown>) => void) => {
  const candidate = exampleEvent(type);
  change(candidate.data as Record<string, unknown>);
  return JSON.stringify(candidate);
};
const invalid = (
  name: string,
  body: string,
  field: string,
  reason: string,
  headers: Record<string, string> = STRUCTURED,
): BadRequest => ({
  name,
  body,
  headers,
  status: 400,
  problem: "invalid-events",
  field,
  reason,
});

const BAD_REQUESTS: BadRequest[] = [
  // Authentication
  {
    name: "no Authorization header",
    body: event({}),
    headers: { ...STRUCTURED, authorization: "" },
    status: 401,
    problem: "unauthorized",
  },
  {
    name: "an unknown key",
    body: event({}),
    headers: { ...STRUCTURED, authorization: "Bearer not-a-real-key-at-all" },
    status: 401,
    problem: "unauthorized",
  },
  {
    name: "Basic instead of Bearer",
    body: event({}),
    headers: { ...STRUCTURED, authorization: `Basic ${Buffer.from(`x:${TEST_KEY.secret}`).toString("base64")}` },
    status: 401,
    problem: "unauthorized",
  },
  {
    name: "Bearer with no secret",
    body: event({}),
    headers: { ...STRUCTURED, authorization: "Bearer " },
    status: 401,
    problem: "unauthorized",
  },
  {
    name: "a key one character off",
    body: event({}),
    headers: { ...STRUCTURED, authorization: `Bearer ${TEST_KEY.secret.slice(0, -1)}X` },
    status: 401,
    problem: "unauthorized",
  },
  {
    name: "the key name instead of its secret",
    body: event({}),
    headers: { ...STRUCTURED, authorization: `Bearer ${TEST_KEY.name}` },
    status: 401,
    problem: "unauthorized",
  },
  // Content types
  { name: "no Content-Type", body: event({}), headers: {}, status: 415, problem: "unsupported-media-type" },
  {
    name: "text/plain",
    body: event({}),
    headers: { "content-type": "text/plain" },
    status: 415,
    problem: "unsupported-media-type",
  },
  {
    name: "application/xml",
    body: "<event/>",
    headers: { "content-type": "application/xml" },
    status: 415,
    problem: "unsupported-media-type",
  },
  {
    name: "multipart/form-data",
    body: "--x--",
    headers: { "content-type": "multipart/form-data; boundary=x" },
    status: 415,
    problem: "unsupported-media-type",
  },
  {
    name: "application/cloudevents+xml",
    body: "<event/>",
    headers: { "content-type": "application/cloudevents+xml" },
    status: 415,
    problem: "unsupported-media-type",
  },
  {
    name: "binary mode with a text body",
    body: "hello",
    headers: { ...BINARY, "content-type": "text/plain" },
    status: 415,
    problem: "unsupported-media-type",
  },
  // Not JSON
  { name: "an empty body", body: "", headers: STRUCTURED, status: 400, problem: "malformed-json" },
  { name: "truncated JSON", body: event({}).slice(0, 40), headers: STRUCTURED, status: 400, problem: "malformed-json" },
  {
    name: "a trailing comma",
    body: '{"specversion":"1.0",}',
    headers: STRUCTURED,
    status: 400,
    problem: "malformed-json",
  },
  {
    name: "single-quoted JSON",
    body: "{'specversion':'1.0'}",
    headers: STRUCTURED,
    status: 400,
    problem: "malformed-json",
  },
  {
    name: "NaN in JSON",
    body: '{"specversion":"1.0","x":NaN}',
    headers: STRUCTURED,
    status: 400,
    problem: "malformed-json",
  },
  {
    name: "binary mode with a non-JSON body",
    body: "sessionId=ses_1",
    headers: BINARY,
    status: 400,
    problem: "malformed-json",
  },
  { name: "a batch that is not JSON", body: "[{]", headers: BATCH, status: 400, problem: "malformed-json" },
  // Wrong shape for the mode
  {
    name: "an array in structured mode",
    body: `[${event({})}]`,
    headers: STRUCTURED,
    status: 400,
    problem: "invalid-request",
  },
  { name: "an object in batch mode", body: event({}), headers: BATCH, status: 400, problem: "invalid-request" },
  { name: "an empty batch", body: "[]", headers: BATCH, status: 400, problem: "invalid-request" },
  {
    name: "application/json without ce-* headers",
    body: event({}),
    headers: { "content-type": "application/json" },
    status: 400,
    problem: "invalid-request",
  },
  // Too large
  {
    name: "a batch of 1,001 events",
    body: `[${Array.from({ length: 1_001 }, (_, n) => `{"id":"e${n}"}`).join(",")}]`,
    headers: BATCH,
    status: 413,
    problem: "batch-too-large",
  },
  {
    name: "a body over the size limit",
    body: withData("evoke.transcript.submitted", (data) => {
      data.utterances = Array.from({ length: 20 }, () => ({ speaker: "client", text: "x".repeat(4_000) }));
    }),
    headers: STRUCTURED,
    status: 413,
    problem: "payload-too-large",
  },
  // The envelope
  invalid("a string instead of an event", '"hello"', "", "must be a JSON object"),
  invalid("null instead of an event", "null", "", "must be a JSON object"),
  invalid("a number instead of an event", "42", "", "must be a JSON object"),
  invalid("no specversion", event({ specversion: undefined }), "specversion", "is required"),
  invalid("specversion 0.3", event({ specversion: "0.3" }), "specversion", 'must be "1.0"'),
  invalid("no id", event({ id: undefined }), "id", "is required"),
  invalid("a script tag as id", event({ id: "<script>alert(1)</script>" }), "id", "must be an ID"),
  invalid("SQL as id", event({ id: "1'; DROP TABLE clients;--" }), "id", "must be an ID"),
  invalid("an id with spaces", event({ id: "evt 1" }), "id", "must be an ID"),
  invalid("an id of 129 characters", event({ id: "e".repeat(129) }), "id", "must be an ID"),
  invalid("no source", event({ source: undefined }), "source", "is required"),
  invalid("a source with spaces", event({ source: "north clinic intake" }), "source", "must be a URI reference"),
  invalid("an unknown type", event({ type: "evoke.client.teleported" }), "type", "is not an Evoke event type"),
  invalid("a numeric type", event({ type: 12 }), "type", "must be a string"),
  invalid("no time", event({ time: undefined }), "time", "is required"),
  invalid("a time without offset", event({ time: "2026-03-14T10:00:00" }), "time", "RFC 3339"),
  invalid("an impossible date", event({ time: "2026-02-30T10:00:00Z" }), "time", "RFC 3339"),
  invalid("an epoch number as time", event({ time: 1_773_482_400 }), "time", "RFC 3339"),
  invalid("a client event without subject", event({ subject: undefined }), "subject", "is required"),
  invalid(
    "a subject that is not the client",
    event({ subject: "cli_someone_else" }),
    "subject",
    "must equal data.clientId",
  ),
  invalid(
    "a subject on a programme event",
    JSON.stringify(exampleEvent("evoke.programme.registered", { subject: "cli_1" })),
    "subject",
    "must be left out",
  ),
  invalid("no data", event({ data: undefined }), "data", "is required"),
  invalid("data as an array", event({ data: [1, 2, 3] }), "data", "must be a JSON object"),
  invalid("data_base64", event({ data_base64: "aGk=" }), "data_base64", "is not supported"),
  invalid("an extension with capitals", event({ TraceId: "abc" }), "TraceId", "is not a CloudEvents attribute"),
  // The data
  invalid(
    "clientId as a number",
    withData("evoke.client.enrolled", (data) => {
      data.clientId = 7;
    }),
    "data.clientId",
    "must be a string",
  ),
  invalid(
    "an HTML payload as clientId",
    withData("evoke.client.enrolled", (data) => {
      data.clientId = "<img src=x onerror=alert(1)>";
    }),
    "data.clientId",
    "must be an ID",
  ),
  invalid(
    "SQL as programmeId",
    withData("evoke.client.enrolled", (data) => {
      data.programmeId = "prg'; DELETE FROM events;--";
    }),
    "data.programmeId",
    "must be an ID",
  ),
  invalid(
    "enrolledAt as a date only",
    withData("evoke.client.enrolled", (data) => {
      data.enrolledAt = "2026-03-02";
    }),
    "data.enrolledAt",
    "RFC 3339",
  ),
  invalid(
    "an unknown discharge reason",
    withData("evoke.client.discharged", (data) => {
      data.reason = "moved_away";
    }),
    "data.reason",
    "must be one of",
  ),
  invalid(
    "a negative session duration",
    withData("evoke.session.attended", (data) => {
      data.durationMinutes = -5;
    }),
    "data.durationMinutes",
    "more than 0",
  ),
  invalid(
    "a readiness value off the scale",
    withData("evoke.readiness.measured", (data) => {
      data.scores = { importance: { value: 12 }, confidence: { value: 1 }, readiness: { value: 1 } };
    }),
    "data.scores.importance.value",
    "within the scale 0-10",
  ),
  invalid(
    "an unknown readiness instrument",
    withData("evoke.readiness.measured", (data) => {
      data.instrument = "phq-9";
    }),
    "data.instrument",
    "one of readiness-ruler",
  ),
  invalid(
    "a transcript with no utterances",
    withData("evoke.transcript.submitted", (data) => {
      data.utterances = [];
    }),
    "data.utterances",
    "at least one",
  ),
  invalid(
    "an unknown speaker",
    withData("evoke.transcript.submitted", (data) => {
      data.utterances = [{ speaker: "nurse", text: "hi" }];
    }),
    "data.utterances[0].speaker",
    "one of therapist, client",
  ),
  invalid(
    "an utterance of 10,001 characters",
    withData("evoke.transcript.submitted", (data) => {
      data.utterances = [{ speaker: "client", text: "y".repeat(10_001) }];
    }),
    "data.utterances[0].text",
    "at most 10000",
  ),
  invalid(
    "a global rating of 7",
    withData("evoke.fidelity.rated", (data) => {
      (data.globals as Record<string, unknown>).empathy = 7;
    }),
    "data.globals.empathy",
    "from 1 to 5",
  ),
  invalid(
    "a negative behaviour count",
    withData("evoke.fidelity.rated", (data) => {
      (data.counts as Record<string, unknown>).affirm = -1;
    }),
    "data.counts.affirm",
    "must not be negative",
  ),
  invalid(
    "another fidelity instrument",
    withData("evoke.fidelity.rated", (data) => {
      data.instrument = "MITI-3.1";
    }),
    "data.instrument",
    '"MITI-4.2.1"',
  ),
  // What the store cannot hold or cannot be true (each was once answered 202, then dead-lettered)
  invalid(
    "a NUL character in an utterance",
    withData("evoke.transcript.submitted", (data) => {
      data.utterances = [{ speaker: "client", text: "I stopped\u0000 drinking" }];
    }),
    "data.utterances[0].text",
    "must not contain control characters",
  ),
  invalid(
    "an unpaired UTF-16 surrogate in an utterance",
    withData("evoke.transcript.submitted", (data) => {
      data.utterances = [{ speaker: "client", text: "cut in the middle of an emoji \uD83D" }];
    }),
    "data.utterances[0].text",
    "unpaired UTF-16 surrogate",
  ),
  invalid(
    "a NUL character in a programme name",
    withData("evoke.programme.registered", (data) => {
      data.name = "North\u0000 clinic";
    }),
    "data.name",
    "must not contain control characters",
  ),
  invalid(
    "an escape character in a source",
    event({ source: "urn:clinic:\u001bnorth" }),
    "source",
    "must not contain control characters",
  ),
  invalid(
    "a control character in an extension attribute",
    event({ traceparent: "00-\u0007-01" }),
    "traceparent",
    "must not contain control characters",
  ),
  invalid(
    "an enrolment dated 9999-12-31",
    withData("evoke.client.enrolled", (data) => {
      data.enrolledAt = "9999-12-31T00:00:00Z";
    }),
    "data.enrolledAt",
    "must not be more than 24 hours after Evoke received the event",
  ),
  invalid(
    "an enrolment dated 1900-01-01 (a placeholder)",
    withData("evoke.client.enrolled", (data) => {
      data.enrolledAt = "1900-01-01T00:00:00Z";
    }),
    "data.enrolledAt",
    "must not be before 2000-01-01",
  ),
  invalid("an event time in year 0000", event({ time: "0000-01-01T00:00:00Z" }), "time", "must not be before"),
  invalid(
    "a booking three years ahead",
    withData("evoke.session.scheduled", (data) => {
      data.scheduledAt = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
    }),
    "data.scheduledAt",
    "must not be more than 730 days after",
  ),
  invalid("binary mode with ce-time in 2099", MISSED_DATA, "ce-time header", "24 hours after", {
    ...BINARY,
    "ce-time": "2099-03-14T09:30:00Z",
  }),
  {
    ...invalid(
      "one bad event in a batch of three",
      `[${event({ id: "ok_1" })},${event({ id: "bad id" })},${event({ id: "ok_2" })}]`,
      "id",
      "must be an ID",
      BATCH,
    ),
    index: 1,
  },
  invalid("binary mode with a bad ce-time", MISSED_DATA, "ce-time header", "RFC 3339", {
    ...BINARY,
    "ce-time": "yesterday",
  }),
  invalid(
    "binary mode without ce-id",
    MISSED_DATA,
    "ce-id header",
    "is required",
    Object.fromEntries(Object.entries(BINARY).filter(([name]) => name !== "ce-id")),
  ),
  // Wrong endpoint or method
  { name: "GET on the events endpoint", body: "", method: "GET", status: 405, problem: "method-not-allowed" },
  {
    name: "PUT on the events endpoint",
    body: event({}),
    method: "PUT",
    headers: STRUCTURED,
    status: 405,
    problem: "method-not-allowed",
  },
  {
    name: "a misspelt path",
    body: event({}),
    path: "/v1/event",
    headers: STRUCTURED,
    status: 404,
    problem: "not-found",
  },
];

describe("ingest: the malformed-input suite", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("bad-input", { maxBodyBytes: MAX_BODY_BYTES });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it("has at least 50 distinct bad requests", () => {
    expect(new Set(BAD_REQUESTS.map((request) => request.name)).size).toBe(BAD_REQUESTS.length);
    expect(BAD_REQUESTS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(BAD_REQUESTS)("$name → $status $problem", async (request) => {
    const response = await ingest.app.request(request.path ?? "/v1/events", {
      method: request.method ?? "POST",
      headers: { authorization: `Bearer ${TEST_KEY.secret}`, ...request.headers },
      ...(request.method === "GET" ? {} : { body: request.body }),
    });
    expect(response.status).toBe(request.status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: `/problems/${request.problem}`,
      status: request.status,
      title: expect.any(String),
    });
    expect(String(problem.detail).length).toBeGreaterThan(10);
    expect(problem.requestId).toBe(response.headers.get("x-request-id"));
    if (request.field !== undefined) {
      const errors = problem.errors as { index: number; field: string; reason: string }[];
      const named = errors.find((error) => error.field === request.field);
      expect(named, JSON.stringify(errors)).toBeDefined();
      expect(named?.reason).toContain(request.reason);
      expect(named?.index).toBe(request.index ?? 0);
    }
    if (request.status === 401) expect(response.headers.get("www-authenticate")).toContain("Bearer");
    if (request.status === 405) expect(response.headers.get("allow")).toBe("POST");
  });

  it("refuses unstorable text and impossible times line by line in an NDJSON stream, naming the field", async () => {
    const lines = [
      withData("evoke.programme.registered", (data) => {
        data.name = "North\u0000 clinic";
      }),
      withData("evoke.client.enrolled", (data) => {
        data.enrolledAt = "9999-12-31T00:00:00Z";
      }),
    ];
    const response = await postEvents(ingest, lines.join("\n"), { "content-type": "application/x-ndjson" });
    expect(response.status).toBe(200);
    const outcomes = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { status?: string; errors?: { field: string; reason: string }[] });
    expect(outcomes.slice(0, 2)).toEqual([
      {
        line: 1,
        status: "rejected",
        errors: [
          expect.objectContaining({ field: "data.name", reason: expect.stringContaining("control characters") }),
        ],
      },
      {
        line: 2,
        status: "rejected",
        errors: [
          expect.objectContaining({ field: "data.enrolledAt", reason: expect.stringContaining("24 hours after") }),
        ],
      },
    ]);
  });

  it("published nothing for any of them", async () => {
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(0);
    expect(await messageCount(ingest.kafka, ingest.transcriptsTopic)).toBe(0);
  });

  it("never echoes a rejected value or the secret in responses or logs", async () => {
    const utterance = "I started drinking again after the funeral";
    const body = withData("evoke.transcript.submitted", (data) => {
      data.utterances = [{ speaker: "counsellor", text: utterance }];
    });
    const response = await postEvents(ingest, body, STRUCTURED);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain("funeral");
    await postEvents(ingest, body, { ...STRUCTURED, authorization: `Bearer ${TEST_KEY.secret}x` });
    const logs = JSON.stringify(ingest.logs);
    expect(logs).not.toContain("funeral");
    expect(logs).not.toContain(TEST_KEY.secret);
    expect(ingest.logs.some((line) => line.apiKey === TEST_KEY.name)).toBe(true);
  });
});

describe("ingest: rate limits", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    // 10 events/s with a burst of one full batch (1,000 events).
    ingest = await createTestIngest("rate-limit", { rateLimitPerSecond: 10 });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it("answers 429 with Retry-After once a key's burst is spent, and publishes nothing for it", async () => {
    const batch = (prefix: string, size: number) =>
      `[${Array.from({ length: size }, (_, n) => JSON.stringify(exampleEvent("evoke.session.scheduled", { id: `${prefix}_${n}` }))).join(",")}]`;
    expect((await postEvents(ingest, batch("burst", 1_000), BATCH)).status).toBe(202);
    const limited = await postEvents(ingest, batch("over", 50), BATCH);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ type: "/problems/rate-limited" });
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(1_000);
  });
});
