import { describe, expect, it } from "vitest";
import { ALL_EVENT_TYPES, EVENT_TYPE_NAMES, type EvokeEventType } from "./catalogue.ts";
import { exampleEvent } from "./examples.ts";
import { fromKafkaMessage, toKafkaMessage } from "./kafka-binding.ts";
import { DEFAULT_TIME_LIMITS, STORABLE_TIME_LIMITS, type TimeLimits } from "./time-limits.ts";
import { type ValidationOptions, validateEvent, validateEvokeEvent } from "./validate.ts";

/*
 * The contract refuses what PostgreSQL cannot hold (NUL, unpaired surrogates) and what cannot be
 * true (times far in the future or before the earliest date), so that a 202 always means the
 * event will be recorded. Each test below fails if its rule is taken out.
 */

const RECEIVED_AT = new Date("2026-12-06T12:00:00Z");
const AT_RECEIPT: ValidationOptions = { receivedAt: RECEIVED_AT };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function after(ms: number): string {
  return new Date(RECEIVED_AT.getTime() + ms).toISOString();
}

function problems(input: unknown, options: ValidationOptions = AT_RECEIPT): string[] {
  const result = validateEvokeEvent(input, options);
  return result.ok ? [] : result.issues.map((issue) => `${issue.field}: ${issue.reason}`);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every string in an event, with its path, in the dotted form issues use. */
function stringLeaves(value: Json, path: Path = []): Path[] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  }
  return [];
}

function fieldOf(path: Path): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}

function withValue(event: object, path: Path, change: (value: string) => string): unknown {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  node[last] = change(node[last] as string);
  return copy;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT/;
const ALL_TYPES = Object.keys(ALL_EVENT_TYPES) as EvokeEventType[];
/** `exampleEvent` for every type on Evoke's topics, the coder's evoke.session.coded included. */
function anyExample(type: EvokeEventType): Record<string, unknown> {
  if (type !== "evoke.session.coded") return exampleEvent(type);
  const data = structuredClone(ALL_EVENT_TYPES[type].example);
  return { ...exampleEvent("evoke.session.attended"), id: "evt_coded_0001", type, subject: data.clientId, data };
}
const examples = ALL_TYPES.map((type) => [type, anyExample(type)] as const);
const textFields = examples.flatMap(([type, event]) =>
  stringLeaves(event as unknown as Json).map((path) => [type, fieldOf(path), event, path] as const),
);
const timeFields = textFields.filter(([, , event, path]) => {
  const value = path.reduce<unknown>((node, part) => (node as Record<string | number, unknown>)[part], event);
  return RFC3339.test(String(value));
});

describe("the four failures the issue reported", () => {
  it("refuses a transcript utterance containing NUL (PostgreSQL 22P05)", () => {
    const event = exampleEvent("evoke.transcript.submitted");
    expect(problems(withValue(event, ["data", "utterances", 1, "text"], (text) => `${text}\u0000`))).toEqual([
      "data.utterances[1].text: must not contain control characters (U+0000-U+001F, U+007F-U+009F) other than tab, line feed and carriage return",
    ]);
  });

  it("refuses an utterance containing an unpaired UTF-16 surrogate (PostgreSQL 22P02)", () => {
    const event = exampleEvent("evoke.transcript.submitted");
    const found = problems(withValue(event, ["data", "utterances", 0, "text"], (text) => `${text}\uD83D`));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^data\.utterances\[0\]\.text: must not contain an unpaired UTF-16 surrogate/);
  });

  it("refuses a programme name containing NUL (PostgreSQL 22021)", () => {
    const event = exampleEvent("evoke.programme.registered");
    expect(problems(withValue(event, ["data", "name"], (name) => `North\u0000${name}`))).toEqual([
      expect.stringMatching(/^data\.name: must not contain control characters/),
    ]);
  });

  it("refuses an enrolment dated 9999-12-31", () => {
    const event = exampleEvent("evoke.client.enrolled");
    expect(problems(withValue(event, ["data", "enrolledAt"], () => "9999-12-31T00:00:00Z"))).toEqual([
      expect.stringMatching(/^data\.enrolledAt: must not be more than 24 hours after Evoke received the event/),
    ]);
  });
});

describe("text: every string of every event type", () => {
  it.each(textFields)("%s: %s refuses NUL", (_type, field, event, path) => {
    const found = problems(withValue(event, path, (value) => `${value}\u0000`));
    expect(
      found.some((line) => line.startsWith(`${field}: `)),
      found.join("\n"),
    ).toBe(true);
  });

  it.each(textFields)("%s: %s refuses an unpaired surrogate", (_type, field, event, path) => {
    const found = problems(withValue(event, path, (value) => `${value}\uDC00`));
    expect(
      found.some((line) => line.startsWith(`${field}: `)),
      found.join("\n"),
    ).toBe(true);
  });

  it("found the free-text fields (so the tables above are not empty)", () => {
    const fields = new Set(textFields.map(([, field]) => field));
    for (const field of ["data.name", "data.displayName", "data.utterances[0].text", "data.changeGoal", "source"]) {
      expect(fields).toContain(field);
    }
  });

  it.each([
    ["tab", "\t"],
    ["line feed", "\n"],
    ["carriage return and line feed", "\r\n"],
    ["an emoji (a surrogate pair)", "\u{1F642}"],
    ["a zero-width joiner sequence", "\u{1F469}\u200D\u{1F52C}"],
    ["accents and scripts", "café, Ελληνικά, 日本語"],
  ])("keeps %s in an utterance, verbatim", (_name, characters) => {
    const event = exampleEvent("evoke.transcript.submitted");
    const result = validateEvent(
      withValue(event, ["data", "utterances", 0, "text"], (text) => `${text}${characters}more`),
      AT_RECEIPT,
    );
    expect(
      result.ok && result.event.type === "evoke.transcript.submitted" && result.event.data.utterances[0]?.text,
    ).toBe(`What brings you in today?${characters}more`);
  });

  it.each([
    ["NUL", "\u0000"],
    ["a bell", "\u0007"],
    ["a vertical tab", "\u000B"],
    ["a form feed", "\u000C"],
    ["an escape", "\u001B"],
    ["DEL", "\u007F"],
    ["a C1 control (NEL)", "\u0085"],
  ])("refuses %s in an utterance", (_name, character) => {
    const event = exampleEvent("evoke.transcript.submitted");
    expect(problems(withValue(event, ["data", "utterances", 0, "text"], (text) => `a${character}b${text}`))).toEqual([
      expect.stringMatching(/^data\.utterances\[0\]\.text: must not contain control characters/),
    ]);
  });

  it("refuses a high surrogate at the end and a low one at the start", () => {
    const event = exampleEvent("evoke.programme.registered");
    expect(problems(withValue(event, ["data", "name"], (name) => `${name}\uD800`))).toHaveLength(1);
    expect(problems(withValue(event, ["data", "name"], (name) => `\uDFFF${name}`))).toHaveLength(1);
  });

  it("refuses a string extension attribute with a control character, by name", () => {
    expect(problems({ ...exampleEvent("evoke.client.enrolled"), traceparent: "00-ab\u0000-01" })).toEqual([
      expect.stringMatching(/^traceparent: must not contain control characters/),
    ]);
  });

  it("never echoes the refused text", () => {
    const event = exampleEvent("evoke.transcript.submitted");
    const result = validateEvent(
      withValue(event, ["data", "utterances", 0, "text"], () => "I relapsed\u0000 after the funeral\uD800"),
      AT_RECEIPT,
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("funeral");
  });
});

describe("times: every timestamp of every event type", () => {
  it("found the timestamps (so the tables below are not empty)", () => {
    const fields = new Set(timeFields.map(([type, field]) => `${type} ${field}`));
    for (const expected of [
      "evoke.client.enrolled data.enrolledAt",
      "evoke.client.discharged data.dischargedAt",
      "evoke.session.scheduled data.scheduledAt",
      "evoke.session.attended data.occurredAt",
      "evoke.session.missed data.scheduledAt",
      "evoke.readiness.measured data.measuredAt",
      "evoke.session.coded data.codedAt",
      "evoke.client.enrolled time",
    ]) {
      expect(fields).toContain(expected);
    }
  });

  const isBooking = (type: string, field: string) => type === "evoke.session.scheduled" && field === "data.scheduledAt";
  const occurrences = timeFields.filter(([type, field]) => !isBooking(type, field));

  it.each(occurrences)("%s: %s may lie 24 hours after receipt, not a second more", (_type, field, event, path) => {
    expect(problems(withValue(event, path, () => after(24 * HOUR)))).toEqual([]);
    expect(problems(withValue(event, path, () => after(24 * HOUR + 1_000)))).toEqual([
      `${field}: must not be more than 24 hours after Evoke received the event: it records what has happened (check the year and the offset)`,
    ]);
  });

  it.each(timeFields)("%s: %s may not lie before 2000-01-01", (_type, field, event, path) => {
    expect(problems(withValue(event, path, () => "2000-01-01T00:00:00Z"))).toEqual([]);
    expect(problems(withValue(event, path, () => "1999-12-31T23:59:59Z"))).toEqual([
      `${field}: must not be before 2000-01-01 (UTC), the earliest date Evoke accepts: a date this early is usually a placeholder or a typo`,
    ]);
  });

  it("judges the offset, not the digits: 2000-01-01T00:30:00+01:00 is still 1999", () => {
    const event = exampleEvent("evoke.client.enrolled");
    expect(problems(withValue(event, ["data", "enrolledAt"], () => "2000-01-01T00:30:00+01:00"))).toHaveLength(1);
  });

  it("lets a booking lie up to 730 days ahead, not more", () => {
    const event = exampleEvent("evoke.session.scheduled");
    expect(problems(withValue(event, ["data", "scheduledAt"], () => after(730 * DAY)))).toEqual([]);
    expect(problems(withValue(event, ["data", "scheduledAt"], () => after(730 * DAY + 1_000)))).toEqual([
      "data.scheduledAt: must not be more than 730 days after Evoke received the event: a booking that far ahead is usually a typo in the year",
    ]);
  });

  it("judges against the limits it is given", () => {
    const limits: TimeLimits = { maxFutureSkewHours: 1, maxScheduleAheadDays: 7, earliest: new Date("1990-06-01Z") };
    const options = { receivedAt: RECEIVED_AT, timeLimits: limits };
    const enrolled = exampleEvent("evoke.client.enrolled");
    const scheduled = exampleEvent("evoke.session.scheduled");
    expect(
      problems(
        withValue(enrolled, ["data", "enrolledAt"], () => "1990-06-01T00:00:00Z"),
        options,
      ),
    ).toEqual([]);
    expect(
      problems(
        withValue(enrolled, ["data", "enrolledAt"], () => "1990-05-31T23:59:59Z"),
        options,
      ),
    ).toEqual([expect.stringContaining("must not be before 1990-06-01 (UTC)")]);
    expect(
      problems(
        withValue(enrolled, ["data", "enrolledAt"], () => after(2 * HOUR)),
        options,
      ),
    ).toEqual([expect.stringContaining("must not be more than 1 hours after")]);
    expect(
      problems(
        withValue(scheduled, ["data", "scheduledAt"], () => after(8 * DAY)),
        options,
      ),
    ).toEqual([expect.stringContaining("must not be more than 7 days after")]);
  });

  it("judges against the clock when no receipt time is given", () => {
    const enrolled = exampleEvent("evoke.client.enrolled");
    const soon = new Date(Date.now() + HOUR).toISOString();
    const tomorrowAndMore = new Date(Date.now() + 25 * HOUR).toISOString();
    expect(validateEvent(withValue(enrolled, ["data", "enrolledAt"], () => soon)).ok).toBe(true);
    expect(validateEvent(withValue(enrolled, ["data", "enrolledAt"], () => tomorrowAndMore)).ok).toBe(false);
    expect(DEFAULT_TIME_LIMITS.earliest.toISOString()).toBe("2000-01-01T00:00:00.000Z");
  });

  it("does not mix up the windows of two validations", () => {
    const enrolled = withValue(
      exampleEvent("evoke.client.enrolled"),
      ["data", "enrolledAt"],
      () => "1995-01-01T00:00Z",
    );
    const loose = {
      receivedAt: RECEIVED_AT,
      timeLimits: { ...DEFAULT_TIME_LIMITS, earliest: new Date("1990-01-01Z") },
    };
    expect(validateEvent(enrolled, loose).ok).toBe(false); // "00:00Z" lacks seconds: the syntax still applies
    const valid = withValue(
      exampleEvent("evoke.client.enrolled"),
      ["data", "enrolledAt"],
      () => "1995-01-01T00:00:00Z",
    );
    expect(validateEvent(valid, loose).ok).toBe(true);
    expect(validateEvent(valid, AT_RECEIPT).ok).toBe(false);
    expect(validateEvent(valid, loose).ok).toBe(true);
  });
});

describe("consumers hold times only to what the store can hold", () => {
  /** The Kafka message of an attended session, as an ingest with these limits would have published it. */
  function published(occurredAt: string, timeLimits: TimeLimits = STORABLE_TIME_LIMITS) {
    const event = exampleEvent("evoke.session.attended");
    const result = validateEvent(
      withValue(event, ["data", "occurredAt"], () => occurredAt),
      { timeLimits },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const message = toKafkaMessage(result.event);
    return { ...message, value: Buffer.from(String(message.value)) };
  }
  const problemsOf = (validation: ReturnType<typeof fromKafkaMessage>) =>
    validation.ok ? [] : validation.issues.map((issue) => `${issue.field}: ${issue.reason}`);

  it("accepts what an ingest with looser limits accepted (1985, or next year by this clock)", () => {
    const loose = { ...DEFAULT_TIME_LIMITS, earliest: new Date("1980-01-01Z"), maxFutureSkewHours: 24 * 500 };
    expect(problemsOf(fromKafkaMessage(published("1985-03-14T09:32:00Z", loose)))).toEqual([]);
    const nextYear = new Date(Date.now() + 400 * DAY).toISOString();
    expect(problemsOf(fromKafkaMessage(published(nextYear, loose)))).toEqual([]);
  });

  it("refuses year 0000, which PostgreSQL cannot hold", () => {
    const message = published("2026-03-14T09:32:00Z");
    const data = JSON.parse(String(message.value)) as Record<string, unknown>;
    const tampered = {
      ...message,
      value: Buffer.from(JSON.stringify({ ...data, occurredAt: "0000-06-01T00:00:00Z" })),
    };
    expect(problemsOf(fromKafkaMessage(tampered))).toEqual([
      expect.stringMatching(/^data\.occurredAt: must not be before 0001-01-01 \(UTC\)/),
    ]);
    expect(STORABLE_TIME_LIMITS.earliest.toISOString()).toBe("0001-01-01T00:00:00.000Z");
  });

  it("still refuses NUL in consumed text", () => {
    const message = published("2026-03-14T09:32:00Z");
    const data = JSON.parse(String(message.value)) as Record<string, unknown>;
    const tampered = { ...message, value: Buffer.from(JSON.stringify({ ...data, therapistId: "thr\u0000" })) };
    expect(fromKafkaMessage(tampered).ok).toBe(false);
  });
});

describe("optional times absent from the examples", () => {
  it.each([
    ["evoke.fidelity.rated", "ratedAt"],
    ["evoke.session.cancelled", "cancelledAt"],
  ] as const)("%s: data.%s is judged too", (type, field) => {
    const event = exampleEvent(type);
    const late = withValue({ ...event, data: { ...(event.data as object), [field]: "x" } }, ["data", field], () =>
      after(25 * HOUR),
    );
    expect(problems(late)).toEqual([expect.stringContaining(`data.${field}: must not be more than 24 hours after`)]);
  });
});

describe("measures: numbers PostgreSQL stores as a 4-byte float", () => {
  const readiness = (value: number, min?: number, max?: number) => {
    const event = exampleEvent("evoke.readiness.measured");
    const scores = { importance: { value, min, max }, confidence: { value: 4 }, readiness: { value: 6 } };
    return { ...event, data: { ...(event.data as object), scores } };
  };

  it.each([
    ["a readiness value that underflows", readiness(1e-50), "data.scores.importance.value"],
    ["a readiness scale beyond the float's range", readiness(5, -1e39, 1e39), "data.scores.importance.min"],
    [
      "a session duration that underflows",
      {
        ...exampleEvent("evoke.session.attended"),
        data: { ...(exampleEvent("evoke.session.attended").data as object), durationMinutes: 1e-50 },
      },
      "data.durationMinutes",
    ],
    [
      "a fidelity segment that underflows",
      {
        ...exampleEvent("evoke.fidelity.rated"),
        data: { ...(exampleEvent("evoke.fidelity.rated").data as object), segmentMinutes: 1e-40 },
      },
      "data.segmentMinutes",
    ],
  ])("refuses %s", (_name, event, field) => {
    expect(problems(event)).toContainEqual(
      `${field}: must be 0 or between 1e-30 and 1e+30 in size (Evoke stores it as a 4-byte float)`,
    );
  });

  it("keeps zero and ordinary fractions", () => {
    expect(problems(readiness(0))).toEqual([]);
    expect(problems(readiness(0.125, 0, 1))).toEqual([]);
  });
});

it("intake types are all covered by the tables above", () => {
  const covered = new Set(textFields.map(([type]) => type));
  for (const type of EVENT_TYPE_NAMES) expect(covered).toContain(type);
});
