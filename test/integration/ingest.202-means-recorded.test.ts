import { type RunningSink, startSink } from "@evoke/aggregation";
import { exampleEvent } from "@evoke/events";
import { createLogger } from "@evoke/logger";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processedCount } from "../support/aggregation.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { createTestIngest, messageCount, postEvents, type TestIngest } from "../support/ingest.ts";
import { createTestTopics, type TestTopics } from "../support/kafka.ts";
import { uniqueName } from "../support/names.ts";

/*
 * 202 means "will be recorded", on every path in. fast-check generates events whose strings
 * come from the whole of UTF-16 (control characters and unpaired surrogates included) and whose
 * times range from year 0000 to 9999 in any offset (readiness scores and minutes: any double),
 * and posts each through the real ingest app to the real broker; the real aggregation sink
 * records them in PostgreSQL. Then:
 * - every event answered 202 is in PostgreSQL, its text exactly as sent;
 * - nothing went to the dead-letter topic;
 * - every event refused got a 400 naming the generated field(s) at fault, and nothing else;
 * - nothing accepted lies before 2000-01-01 or after receipt + 24 h (a booking: 730 days).
 * The seed is printed on failure (fast-check's report); set FC_SEED to replay a run.
 */

const CASES = 160;
const SEED = process.env.FC_SEED === undefined ? Date.now() % 2_147_483_647 : Number(process.env.FC_SEED);
const STRUCTURED = { "content-type": "application/cloudevents+json" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// --- strings -------------------------------------------------------------------------------

/** Any UTF-16 code unit: controls, lone surrogates, noncharacters, everything. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const tricky = fc.constantFrom(
  "\u0000",
  "\t",
  "\n",
  "\r\n",
  "\u0007",
  "\u007f",
  "\u0085",
  "\uD83D",
  "\uDE42",
  "\uFFFF",
);

/**
 * A mix that lands on both sides of the rules: whole code points of any plane (mostly
 * storable), raw code units (often not), and ordinary text with one odd character spliced in.
 */
const anyText = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: anyCodeUnit, minLength: 1, maxLength }) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength }), tricky, fc.nat())
        .map(([text, odd, at]) => {
          const cut = at % (text.length + 1);
          return `${text.slice(0, cut)}${odd}${text.slice(cut)}`;
        }),
    },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength }) },
  );

// --- times ---------------------------------------------------------------------------------

function pad(value: number, width: number): string {
  return String(Math.abs(value)).padStart(width, "0");
}

/** An RFC 3339 rendering of `instant` at `offsetMinutes`, or a malformed one when the local year leaves 0000-9999. */
function rfc3339(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  const sign = offsetMinutes < 0 ? "-" : "+";
  const offset =
    offsetMinutes === 0 ? "Z" : `${sign}${pad(Math.trunc(offsetMinutes / 60), 2)}:${pad(offsetMinutes % 60, 2)}`;
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : String(year);
  const fraction = local.getUTCMilliseconds() === 0 ? "" : `.${pad(local.getUTCMilliseconds(), 3)}`;
  return `${yearText}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}T${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}${fraction}${offset}`;
}

const now = Date.now();
const instant = fc.oneof(
  // Anywhere RFC 3339 can name.
  fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
  // Around now and the skew, and bookings ahead.
  // (Weighted: a case holds two or more times, and some cases must pass every rule.)
  { weight: 8, arbitrary: fc.integer({ min: -400 * DAY, max: 3 * DAY }).map((shift) => new Date(now + shift)) },
  fc.integer({ min: 20 * HOUR, max: 28 * HOUR }).map((shift) => new Date(now + shift)),
  fc.integer({ min: 700 * DAY, max: 760 * DAY }).map((shift) => new Date(now + shift)),
  // Around the earliest date and the placeholders before it.
  fc.integer({ min: -2 * DAY, max: 2 * DAY }).map((shift) => new Date(Date.parse("2000-01-01T00:00:00Z") + shift)),
  fc.constantFrom(new Date("1970-01-01T00:00:00Z"), new Date("1900-01-01T00:00:00Z"), new Date("0001-01-01T00:00:00Z")),
);
const anyTime = fc
  .tuple(instant, fc.oneof(fc.constant(0), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 })))
  .map(([at, offset]) => rfc3339(at, offset));

// --- events --------------------------------------------------------------------------------

interface Case {
  readonly event: Record<string, unknown>;
  /** The fields the generator chose; a refusal may name only these. */
  readonly generated: readonly string[];
}

function build(type: Parameters<typeof exampleEvent>[0], time: string, data: Record<string, unknown>): Case {
  const example = exampleEvent(type);
  const merged = { ...(example.data as Record<string, unknown>), ...data };
  const generated = ["time", ...Object.keys(data).flatMap((key) => fieldsOf(`data.${key}`, data[key]))];
  return { event: { ...example, time, data: merged }, generated };
}

/** The dotted paths of every leaf of a generated value. */
function fieldsOf(path: string, value: unknown): string[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, index) => fieldsOf(`${path}[${index}]`, item))];
  if (value !== null && typeof value === "object") {
    return [path, ...Object.entries(value).flatMap(([key, item]) => fieldsOf(`${path}.${key}`, item))];
  }
  return [path];
}

const eventCase: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(anyTime, anyText(200)).map(([time, name]) => build("evoke.programme.registered", time, { name })),
  fc
    .tuple(anyTime, anyText(200))
    .map(([time, displayName]) => build("evoke.therapist.registered", time, { displayName })),
  fc
    .tuple(anyTime, anyTime, anyText(50), fc.array(anyText(50), { maxLength: 3 }))
    .map(([time, enrolledAt, focus, tags]) => build("evoke.client.enrolled", time, { enrolledAt, focus, tags })),
  fc.tuple(anyTime, anyTime).map(([time, scheduledAt]) => build("evoke.session.scheduled", time, { scheduledAt })),
  fc
    .tuple(anyTime, anyTime, fc.double({ min: 0, max: 800 }))
    .map(([time, occurredAt, durationMinutes]) =>
      build("evoke.session.attended", time, { occurredAt, durationMinutes }),
    ),
  // Any double, tiny, huge or not finite (JSON turns those into null), on any scale.
  fc
    .tuple(
      anyTime,
      anyTime,
      fc.double(),
      fc.option(fc.double(), { nil: undefined }),
      fc.option(fc.double(), { nil: undefined }),
    )
    .map(([time, measuredAt, value, min, max]) =>
      build("evoke.readiness.measured", time, {
        measuredAt,
        scores: { importance: { value, min, max }, confidence: { value: 4 }, readiness: { value: 6 } },
      }),
    ),
  fc
    .tuple(anyTime, fc.array(anyText(300), { minLength: 1, maxLength: 4 }), anyText(200))
    .map(([time, texts, changeGoal]) =>
      build("evoke.transcript.submitted", time, {
        utterances: texts.map((text, index) => ({ speaker: index % 2 === 0 ? "therapist" : "client", text })),
        changeGoal,
      }),
    ),
);

/** What was accepted is also plausible: no time before 2000-01-01 or after receipt + 24 h (bookings: 730 days). */
function expectPlausibleTimes(event: Record<string, unknown>): void {
  const data = event.data as Record<string, unknown>;
  const receivedBy = Date.now();
  const times = [
    ["time", event.time, 24 * HOUR],
    ["data.enrolledAt", data.enrolledAt, 24 * HOUR],
    ["data.occurredAt", data.occurredAt, 24 * HOUR],
    ["data.scheduledAt", data.scheduledAt, 730 * DAY],
  ] as const;
  for (const [field, value, ahead] of times) {
    if (value === undefined) continue;
    const at = Date.parse(String(value));
    expect(at, field).toBeGreaterThanOrEqual(Date.parse("2000-01-01T00:00:00Z"));
    expect(at, field).toBeLessThanOrEqual(receivedBy + ahead);
  }
}

/** The case's own event id, and its own programme, therapist or client, so no case overwrites another's row. */
function withOwnIds(event: Record<string, unknown>, serial: number): Record<string, unknown> {
  const data = { ...(event.data as Record<string, unknown>) };
  if (event.type === "evoke.programme.registered") data.programmeId = `prg_prop_${serial}`;
  if (event.type === "evoke.therapist.registered") data.therapistId = `thr_prop_${serial}`;
  const client = "subject" in event ? { subject: `cli_prop_${serial}` } : {};
  if ("subject" in event) data.clientId = client.subject;
  return { ...event, ...client, id: `evt_prop_${serial}`, source: "urn:clinic:north:property", data };
}

describe("ingest: 202 means recorded, whatever the strings and dates", () => {
  let ingest: TestIngest;
  let topics: TestTopics;
  let database: TestDatabase;
  let sink: RunningSink;

  beforeAll(async () => {
    ingest = await createTestIngest("recorded", { partitions: 2 });
    topics = await createTestTopics(ingest.kafka, "recorded", { count: 2, partitions: 1 });
    database = await createTestDatabase("recorded");
    const [coded = "", deadLetter = ""] = topics.names;
    sink = await startSink({
      kafka: ingest.kafka,
      db: database.db,
      topics: { sources: [ingest.topic, ingest.transcriptsTopic, coded], deadLetter },
      logger: createLogger({ name: "aggregation", level: "silent" }),
      groupId: uniqueName("recorded"),
    });
  });

  afterAll(async () => {
    await sink?.stop();
    await topics?.drop();
    await database?.drop();
    await ingest?.close();
  });

  it(`records every one of ${CASES} generated events it answered 202, dead-letters none, and names the field of every refusal`, async () => {
    const accepted: Record<string, unknown>[] = [];
    let refused = 0;
    let serial = 0;

    await fc.assert(
      fc.asyncProperty(eventCase, async ({ event, generated }) => {
        serial += 1;
        const sent = withOwnIds(event, serial);
        const response = await postEvents(ingest, JSON.stringify(sent), STRUCTURED);
        if (response.status === 202) {
          expectPlausibleTimes(sent);
          accepted.push(sent);
          return;
        }
        const problem = (await response.json()) as { type: string; errors: { field: string; reason: string }[] };
        expect(response.status, JSON.stringify(problem)).toBe(400);
        expect(problem.type).toBe("/problems/invalid-events");
        expect(problem.errors.length).toBeGreaterThan(0);
        for (const error of problem.errors) {
          expect(generated, `${error.field}: ${error.reason}`).toContain(error.field);
          expect(error.reason.length).toBeGreaterThan(5);
        }
        refused += 1;
      }),
      { numRuns: CASES, seed: SEED, endOnFailure: true },
    );

    console.info(`[202 means recorded] seed ${SEED}: ${accepted.length} accepted, ${refused} refused`);
    // Both sides of the rules were exercised, or the property proves little.
    expect(accepted.length, `seed ${SEED}`).toBeGreaterThan(CASES / 10);
    expect(refused, `seed ${SEED}`).toBeGreaterThan(CASES / 10);

    // Until every accepted event is either recorded or dead-lettered; then none may be the latter.
    await expect
      .poll(async () => (await processedCount(database.sql)) + sink.stats.deadLettered, { timeout: 90_000 })
      .toBeGreaterThanOrEqual(accepted.length);
    expect(sink.stats.deadLettered, `seed ${SEED}: dead-lettered after a 202`).toBe(0);
    const [, deadLetter = ""] = topics.names;
    expect(await messageCount(ingest.kafka, deadLetter)).toBe(0);

    const processed = await database.sql<{ event_id: string }[]>`select event_id from processed_events`;
    expect(new Set(processed.map((row) => row.event_id))).toEqual(new Set(accepted.map((event) => String(event.id))));

    // The text is stored exactly as it was sent (names trimmed, as the contract says).
    const data = (type: string) =>
      accepted.filter((event) => event.type === type).map((event) => event.data as Record<string, unknown>);
    const programmes = await database.sql<{ name: string }[]>`select name from programmes where name is not null`;
    expect(programmes.map((row) => row.name).sort()).toEqual(
      data("evoke.programme.registered")
        .map((row) => String(row.name).trim())
        .sort(),
    );
    const transcripts = await database.sql<{ utterances: { text: string }[] }[]>`select utterances from transcripts`;
    expect(transcripts.flatMap((row) => row.utterances.map((turn) => turn.text)).sort()).toEqual(
      data("evoke.transcript.submitted")
        .flatMap((row) => (row.utterances as { text: string }[]).map((turn) => turn.text))
        .sort(),
    );
    const readiness = await database.sql<{ n: number }[]>`select count(*)::int as n from readiness_measurements`;
    expect(readiness[0]?.n).toBe(3 * data("evoke.readiness.measured").length);
    const enrolments = await database.sql<{ ms: number }[]>`
      select (extract(epoch from enrolled_at) * 1000)::float8 as ms from enrolment_events`;
    expect(enrolments.map((row) => Math.round(Number(row.ms))).sort()).toEqual(
      data("evoke.client.enrolled")
        .map((row) => Date.parse(String(row.enrolledAt)))
        .sort(),
    );
  }, 180_000);
});
