import {
  CANCELLED_BY,
  DEFAULT_TIME_LIMITS,
  DISCHARGE_REASONS,
  dataJsonSchema,
  EVENT_TYPE_NAMES,
  EVENT_TYPES,
  type EventType,
  exampleEvent,
  ID_ALPHABET_DESCRIPTION,
  INGEST_KEY_HEADER,
  INSTRUMENT_SCALES,
  MAX_UTTERANCE_CHARACTERS,
  MAX_UTTERANCES,
  RECEIVED_AT_HEADER,
  TEXT_RULES_DESCRIPTION,
  TOPICS,
} from "@evoke/events";
import { MAX_BATCH_EVENTS } from "../http-binding.ts";
import { PROBLEM_TYPES, type ProblemSlug } from "../problems.ts";
import { compact, DESCRIBED_ONLY, DOCS_KEY, type ExampleExchange, exchange, problemExamples } from "./examples.ts";
import { fieldTable } from "./field-table.ts";

/*
 * docs/ingest.md, the integration guide, is generated from this template, the event catalogue
 * and real responses of the app (`pnpm run docs`); a test fails when the committed file is stale.
 * Edit the prose here, not in docs/ingest.md.
 */

function block(language: string, text: string): string {
  return `\`\`\`${language}\n${text}\n\`\`\``;
}

function shown(exchangeResult: ExampleExchange): string {
  const headers = Object.entries(exchangeResult.headers).map(([name, value]) => `${name}: ${value}`);
  return [
    block("sh", exchangeResult.curl),
    block("http", [`HTTP/1.1 ${exchangeResult.status}`, ...headers, "", exchangeResult.body].join("\n")),
  ].join("\n\n");
}

function anchor(text: string): string {
  return text
    .toLowerCase()
    .replaceAll(/[^a-z0-9 -]/g, "")
    .replaceAll(" ", "-");
}

function readinessSection(): string {
  const rows = Object.entries(INSTRUMENT_SCALES).flatMap(([instrument, items]) =>
    Object.entries(items).map(([item, [min, max]]) => `| \`${instrument}\` | \`scores.${item}\` | ${min}-${max} |`),
  );
  return [
    '`instrument` selects which `scores` are expected. Each score is `{ "value": n }`, optionally with the scale it was given on (`"min"`, `"max"`); without them the usual scale below applies. The value must lie within the scale, and Evoke stores the scale with every value (services differ: some rulers run 1-10).',
    "",
    "| instrument | score | default scale |",
    "|---|---|---|",
    ...rows,
    "",
    "URICA scores are subscale means; SOCRATES 8 scores are subscale totals. The other fields:",
    "",
    "| field | type | required | rules |",
    "|---|---|---|---|",
    "| `clientId` | ID | yes |  |",
    "| `programmeId` | ID | yes |  |",
    "| `measuredAt` | RFC 3339 date-time | yes |  |",
    "| `instrument` | `readiness-ruler` \\| `urica` \\| `socrates` | yes |  |",
    "| `scores` | object | yes | one `{ value, min?, max? }` per item of the instrument |",
    "| `sessionId` | ID | no | the session the measure was taken in |",
  ].join("\n");
}

function eventTypeSection(type: EventType): string {
  const definition = EVENT_TYPES[type];
  const subject =
    definition.subject === "client"
      ? "`subject` is required and equals `data.clientId`."
      : definition.subject === "optional-client"
        ? "`subject` may carry the pseudonymous client ID; without it the event is keyed by `sessionId`."
        : "No `subject`: the event is not about a client.";
  const table = type === "evoke.readiness.measured" ? readinessSection() : fieldTable(dataJsonSchema(type));
  const example = JSON.stringify(exampleEvent(type), null, 2);
  return [
    `### \`${type}\``,
    "",
    `${definition.summary} ${subject} JSON Schema: [events/${type}.schema.json](events/${type}.schema.json).`,
    "",
    table,
    "",
    block(
      "sh",
      `curl -sS -X POST "$EVOKE_URL/v1/events" \\\n  -H "Authorization: Bearer $EVOKE_KEY" \\\n  -H 'Content-Type: application/cloudevents+json' \\\n  --data-binary @- <<'JSON'\n${example}\nJSON`,
    ),
  ].join("\n");
}

function problemSection(slug: ProblemSlug, example: ExampleExchange | undefined): string {
  const problem = PROBLEM_TYPES[slug];
  return [
    `### ${problem.status} \`${slug}\`: ${problem.title}`,
    "",
    `**What to do:** ${problem.fix}`,
    ...(example === undefined
      ? []
      : ["", `Example: ${example.title.charAt(0).toLowerCase()}${example.title.slice(1)}.`, "", shown(example)]),
  ].join("\n");
}

export async function renderIngestGuide(): Promise<string> {
  const structured = await exchange({
    title: "structured",
    headers: { Authorization: `Bearer ${DOCS_KEY}`, "Content-Type": "application/cloudevents+json" },
    body: compact("evoke.client.enrolled"),
  });
  const batch = await exchange({
    title: "batch",
    headers: { Authorization: `Bearer ${DOCS_KEY}`, "Content-Type": "application/cloudevents-batch+json" },
    body: `[${compact("evoke.session.scheduled", { id: "evt_101" })},${compact("evoke.session.attended", { id: "evt_102" })}]`,
  });
  const attended = exampleEvent("evoke.session.attended", { id: "evt_201" });
  const binary = await exchange({
    title: "binary",
    headers: {
      Authorization: `Bearer ${DOCS_KEY}`,
      "Content-Type": "application/json",
      "ce-specversion": "1.0",
      "ce-id": "evt_201",
      "ce-source": "urn:clinic:north:scheduling",
      "ce-type": "evoke.session.attended",
      "ce-time": "2026-03-14T10:00:00Z",
      "ce-subject": "cli_7f3a9c",
    },
    body: JSON.stringify(attended.data),
  });
  const ndjsonBody = [
    compact("evoke.session.scheduled", { id: "evt_301" }),
    compact("evoke.session.scheduled", { id: "evt_302", time: "yesterday" }),
    compact("evoke.session.attended", { id: "evt_303" }),
  ].join("\n");
  const ndjson = await exchange({
    title: "ndjson",
    headers: { Authorization: `Bearer ${DOCS_KEY}`, "Content-Type": "application/x-ndjson" },
    body: ndjsonBody,
    bodyShownAs: "--data-binary @backfill.ndjson",
  });
  const problems = await problemExamples();
  const bySlug = new Map(problems.map((example) => [example.slug, example]));
  const slugs = Object.keys(PROBLEM_TYPES) as ProblemSlug[];

  return `<!-- Generated by \`pnpm run docs\` from services/ingest/src/docs/guide.ts and the event catalogue. Do not edit by hand. -->

# Sending events to Evoke

Evoke's ingest API takes the events of your intake, scheduling, EHR and recording systems as
[CloudEvents 1.0](https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md) over HTTP.
This guide is everything you need to integrate; the machine-readable descriptions are
[openapi.json](openapi.json) (HTTP), [asyncapi.json](asyncapi.json) (the Kafka topics) and one
JSON Schema per event type in [events/](events/). Systems that speak HL7 FHIR R4 can send their
resources instead: see [fhir.md](fhir.md).

**In one paragraph.** \`POST /v1/events\` with \`Authorization: Bearer <key>\`. Send one event
(\`application/cloudevents+json\`), a batch of up to ${MAX_BATCH_EVENTS.toLocaleString("en")} (\`application/cloudevents-batch+json\`, all or
nothing), one event with its attributes as headers (binary mode), or a stream of any length
(\`application/x-ndjson\`). A \`202\` means Kafka has durably stored every event. Anything else is a
problem document ([RFC 9457](https://www.rfc-editor.org/rfc/rfc9457)) that says which field is
wrong and why; nothing from a rejected request is kept. Sending an event twice (same \`source\`
and \`id\`) never counts it twice, so retrying is always safe.

Spreadsheet exports go to \`POST /v1/import?kind=<kind>\` as \`text/csv\` (or \`pnpm mi import\`):
each row becomes these same events, validated the same way; see [import.md](import.md).

## Contents

- [Try it](#try-it)
- [Authentication](#authentication)
- [The event envelope](#the-event-envelope)
- [Four ways to send](#four-ways-to-send)
- [Event types](#event-types)
- [Errors](#errors)
- [Limits](#limits)
- [Retrying safely](#retrying-safely)
- [Operating endpoints](#operating-endpoints)
- [What Evoke does with your events](#what-evoke-does-with-your-events)

## Try it

\`npm start\` prints the ingest URL and a demo key. Put them in your shell:

${block("sh", "export EVOKE_URL=http://127.0.0.1:8080\nexport EVOKE_KEY=<the secret npm start printed after Bearer>")}

Then send an enrolment:

${shown(structured)}

## Authentication

Every request to \`/v1/*\` and \`/metrics\` carries \`Authorization: Bearer <secret>\`. Keys are
configured as \`INGEST_API_KEYS=name:secret,name:secret\` (secrets of at least 16 characters; use
one key per sending system). The key's *name* appears in Evoke's logs, metrics and on each
stored event (\`${INGEST_KEY_HEADER}\`); its secret never does. A missing or unknown key gets \`401\`
with \`WWW-Authenticate: Bearer\`.

## The event envelope

| attribute | required | rules |
|---|---|---|
| \`specversion\` | yes | \`"1.0"\` |
| \`id\` | yes | ${ID_ALPHABET_DESCRIPTION}; unique per \`source\` |
| \`source\` | yes | your system, as a URI reference: \`urn:clinic:north:intake\`, \`https://ehr.example.org/feeds/1\` or \`/clinics/north/intake\` |
| \`type\` | yes | one of the [event types](#event-types) |
| \`time\` | yes | when it happened, RFC 3339 with an offset: \`2026-03-14T09:30:00Z\`, \`2026-03-14T10:30:00+01:00\` |
| \`subject\` | for client events | the pseudonymous client ID, equal to \`data.clientId\` |
| \`data\` | yes | a JSON object, per type |
| \`datacontenttype\` | no | \`application/json\` if given |
| \`dataschema\` | no | a URI reference |
| extensions | no | any other attribute named with 1-20 lowercase letters or digits (e.g. \`traceparent\`), holding a string, number or boolean; passed along unchanged |

**IDs** (\`id\`, \`clientId\`, \`sessionId\`, \`therapistId\`, \`programmeId\`, \`coderId\`) are opaque
strings of ${ID_ALPHABET_DESCRIPTION}. Client IDs must be **pseudonymous**: a study number or
a hash your system keeps the key to, never a name, medical record number, email or phone number.

**Idempotency and order.** \`source\` + \`id\` identify an event: a resent event has no second
effect. Events may arrive out of order and more than once; Evoke copes. Events about one client
are kept in order relative to each other.

**What Evoke refuses so that a \`202\` always means "will be recorded".** Every string of every
event (names, utterance text, IDs, \`source\`, extension values) must hold
${TEXT_RULES_DESCRIPTION}: tab, line feed and carriage return are kept as sent (CRLF transcripts
are fine); NUL and the other control characters are corruption from an export, and an unpaired
surrogate (a \`\\uD83D\` escape without its pair, typically a string cut in the middle of an
emoji) is not a character at all. Every time must be plausible, judged against the moment Evoke
receives the event: what has happened (\`time\`, \`enrolledAt\`, \`occurredAt\`, \`measuredAt\`...)
at most ${DEFAULT_TIME_LIMITS.maxFutureSkewHours} hours after receipt, to allow for clocks and time zones
(\`INGEST_MAX_FUTURE_SKEW_HOURS\`); a booking (\`evoke.session.scheduled\` \`scheduledAt\`) at most
${DEFAULT_TIME_LIMITS.maxScheduleAheadDays} days ahead (\`INGEST_MAX_SCHEDULE_AHEAD_DAYS\`); and nothing before
${DEFAULT_TIME_LIMITS.earliest.toISOString().slice(0, 10)} (\`INGEST_EARLIEST_DATE\`; lower it to backfill older records), which
keeps out placeholders such as 1900-01-01 and 1970-01-01. These are the defaults; the operator
may set others. Each refusal names the field and the rule, never the value.

**Forward compatibility.** Fields of \`data\` that Evoke does not know are accepted and ignored,
so you may send more than a type requires. A missing or mistyped required field is an error.

## Four ways to send

### Structured mode: one event

\`Content-Type: application/cloudevents+json\`, the whole event as the body. See [Try it](#try-it).

### Batch mode: up to ${MAX_BATCH_EVENTS.toLocaleString("en")} events, all or nothing

\`Content-Type: application/cloudevents-batch+json\`, a JSON array of events. Every event is
validated first; if any is invalid the response lists each problem with the event's \`index\` and
**nothing** is published.

${shown(batch)}

### Binary mode: attributes as headers

\`Content-Type: application/json\` with the attributes as \`ce-*\` headers and the event's \`data\`
as the body (the mode the CloudEvents SDKs call "binary"). Header values may be
percent-encoded. Problems with an attribute name its header (\`ce-time header\`).

${shown(binary)}

### NDJSON: streams of any length

\`Content-Type: application/x-ndjson\`, one structured-mode event per line, for backfills. There
is no total size limit. Lines are checked as they arrive and published in chunks; unlike a
batch, a bad line does not stop the others. The response (\`200\`, streamed) has one outcome per
line in line order, then a summary. Blank lines are skipped. If Kafka becomes unreachable the
stream stops: lines from then on are \`failed\` and the summary gives \`retryFromLine\`; resend
from there (lines already accepted may be resent safely).

With a \`backfill.ndjson\` whose second line has a bad \`time\`:

${shown(ndjson)}

## Event types

${EVENT_TYPE_NAMES.map((type) => `- [\`${type}\`](#${anchor(type)}): ${EVENT_TYPES[type].summary}`).join("\n")}

Allowed values: discharge \`reason\` is ${DISCHARGE_REASONS.map((reason) => `\`${reason}\``).join(", ")}; \`cancelledBy\` is ${CANCELLED_BY.map((who) => `\`${who}\``).join(" or ")}. A transcript holds at most ${MAX_UTTERANCES.toLocaleString("en")} utterances of at most ${MAX_UTTERANCE_CHARACTERS.toLocaleString("en")} characters each.

${EVENT_TYPE_NAMES.map(eventTypeSection).join("\n\n")}

## Errors

Every error is an RFC 9457 problem document (\`Content-Type: application/problem+json\`) with
\`type\`, \`title\`, \`status\`, \`detail\` and the \`requestId\` (also in the \`X-Request-Id\` header:
quote it when asking for help). \`type\` is relative: \`GET /problems/<slug>\` on the ingest URL
explains it. Invalid events list \`errors[]\`, each with the event's \`index\`, the \`field\` (dotted
path), an RFC 6901 \`pointer\` and the \`reason\`. Responses never repeat the values you sent
(they may be health data).

${slugs
  .filter((slug) => !DESCRIBED_ONLY.includes(slug))
  .map((slug) => problemSection(slug, bySlug.get(slug)))
  .join("\n\n")}

${DESCRIBED_ONLY.map((slug) => problemSection(slug, undefined)).join("\n\n")}

## Limits

| limit | default | setting |
|---|---|---|
| request body (structured, batch, binary) | 5 MiB | \`INGEST_MAX_BODY_BYTES\` |
| NDJSON stream | no total limit; each line at most the body limit | |
| events per batch | ${MAX_BATCH_EVENTS.toLocaleString("en")} | |
| events per second per key | 50,000, with a burst of a full batch | \`INGEST_RATE_LIMIT\` (0: off) |
| utterances per transcript | ${MAX_UTTERANCES.toLocaleString("en")} | |
| characters per utterance | ${MAX_UTTERANCE_CHARACTERS.toLocaleString("en")} | |
| a time after receipt (what has happened) | ${DEFAULT_TIME_LIMITS.maxFutureSkewHours} hours | \`INGEST_MAX_FUTURE_SKEW_HOURS\` |
| a booking after receipt (\`scheduledAt\` of \`evoke.session.scheduled\`) | ${DEFAULT_TIME_LIMITS.maxScheduleAheadDays} days | \`INGEST_MAX_SCHEDULE_AHEAD_DAYS\` |
| earliest time (UTC) | ${DEFAULT_TIME_LIMITS.earliest.toISOString().slice(0, 10)} | \`INGEST_EARLIEST_DATE\` |

Over the rate, batch and single requests get \`429\` with \`Retry-After\`; NDJSON streams are
slowed down instead.

## Retrying safely

- \`202\`: done; do not resend (resending is harmless, but wasteful).
- \`400\`, \`401\`, \`404\`, \`405\`, \`413\`, \`415\`: fix the request; resending it unchanged will fail again.
- \`429\`, \`503\`: resend the **whole** request after \`Retry-After\` seconds. Nothing was acknowledged;
  events that did reach the log are recognised by \`source\` + \`id\` and not counted twice.
- \`500\`: retry later with backoff; report the \`requestId\` if it persists.
- Network error or timeout with no response: resend; idempotency makes it safe.

## Operating endpoints

| endpoint | auth | answers |
|---|---|---|
| \`GET /healthz\` | none | \`200\` while the process runs |
| \`GET /readyz\` | none | \`200\` when Kafka answers, else \`503\` |
| \`GET /openapi.json\` | none | the OpenAPI 3.1 document |
| \`GET /problems/{slug}\` | none | what a problem type means and how to fix it |
| \`GET /metrics\` | key | Prometheus: \`evoke_ingest_requests_total{route,status}\`, \`evoke_ingest_events_accepted_total{type}\`, \`evoke_ingest_events_rejected_total{type,reason}\`, \`evoke_ingest_publish_duration_seconds\` (histogram), process metrics |

The unauthenticated endpoints expose no data.

## What Evoke does with your events

Each accepted event is published to the Kafka topic \`${TOPICS.intake}\`, transcripts to
\`${TOPICS.transcripts}\` (CloudEvents Kafka binding, binary mode, on both): the message key is
the client ID (programme, therapist or session ID for events without a client), the attributes
travel as \`ce_*\` headers, the value is the event's \`data\` as JSON with unknown fields dropped
and readiness scales filled in, and two more headers record when and by which key it was
received (\`${RECEIVED_AT_HEADER}\`, \`${INGEST_KEY_HEADER}\`).
[asyncapi.json](asyncapi.json) describes the topics. Transcripts are coded into MITI 4.2.1
behaviour counts and summary scores, and everything is aggregated for the dashboard.

**Privacy.** Ingest never logs event data, utterance text or key secrets: its log lines hold the
request id, route, status, key name and timing. Kafka keeps messages for
\`KAFKA_RETENTION_HOURS\` (a week by default).
`;
}
