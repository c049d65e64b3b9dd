import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALL_EVENT_TYPES, type EvokeEventType } from "./catalogue.ts";
import { envelope } from "./envelope.ts";
import { fastEnvelope, fastParseData, RFC3339_WITH_OFFSET } from "./fast-path.ts";
import { ID_PATTERN, timestamp } from "./primitives.ts";
import { DEFAULT_TIME_LIMITS, judgingWithin } from "./time-limits.ts";
import { CATEGORIES, MAX_CODED_COUNT, MITI, REFLECTIONS } from "./types/coded.ts";
import { MAX_UTTERANCE_CHARACTERS, MAX_UTTERANCES } from "./types/transcripts.ts";
import { validateEvokeEvent, validateEvokeEventGeneric } from "./validate.ts";

/*
 * The fast route must be invisible: for every input, validateEvokeEvent (fast route where it
 * applies) and validateEvokeEventGeneric (the zod schemas alone) give the same answer, the same
 * parsed event (members in the same order) and the same issues. The inputs are the catalogue's
 * examples with their utterances replaced by generated ones, valid and broken in every way the
 * schemas check, and sometimes another member of the event broken too.
 */

const RECEIVED_AT = new Date("2026-06-01T00:00:00Z");
const OPTIONS = { receivedAt: RECEIVED_AT };

type FastEventType = "evoke.transcript.submitted" | "evoke.session.coded";

function example(type: FastEventType): Record<string, unknown> {
  const data = structuredClone(ALL_EVENT_TYPES[type].example) as Record<string, unknown>;
  return {
    specversion: "1.0",
    id: "evt_fast_1",
    source: "urn:clinic:north:recorder",
    type,
    time: "2026-03-14T10:05:00Z",
    subject: data.clientId,
    data,
  };
}

/** A value the schemas refuse for most members: wrong JSON types and numbers zod rejects. */
const junk = fc.constantFrom<unknown>(null, true, 1, "x", [], {}, Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5);

/** An optional member: absent, present but undefined, valid, or something else. */
function optional<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>, validOnly: boolean) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: "absent" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "value" as const, value: undefined }) },
    { weight: 6, arbitrary: valid.map((value) => ({ kind: "value" as const, value: value as unknown })) },
    { weight: validOnly ? 0 : 2, arbitrary: invalid.map((value) => ({ kind: "value" as const, value })) },
  );
}

/** Mostly `valid`, sometimes `invalid` (never, when only valid values are wanted). */
function member(valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>, validOnly: boolean) {
  return validOnly ? valid : fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** Sets `key` on `target` as `member` says (or leaves it out). */
function put(
  target: Record<string, unknown>,
  key: string,
  member: { kind: "absent" } | { kind: "value"; value: unknown },
) {
  if (member.kind === "value") target[key] = member.value;
}

const milliseconds = fc.oneof(fc.nat({ max: 10_000_000 }), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(0));
const badMilliseconds = fc.oneof(
  junk,
  fc.constant(2 ** 53),
  fc.constant(-0.5),
  fc.constant("100"),
  fc.integer({ min: -1000, max: -1 }),
);

/** Strings that break the text rules: control characters, lone surrogates, empty, too long. */
const badText = fc.oneof(
  fc.constant(""),
  fc.constant("a".repeat(MAX_UTTERANCE_CHARACTERS + 1)),
  fc.constantFrom("\u0000", "a\u0007b", "\u007f", "\u0085", "\ud800", "x\udc00y"),
  junk,
);
const goodText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 60, unit: "grapheme" }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("tab\there", "line\r\nbreak", "😀 whole pair", "a".repeat(MAX_UTTERANCE_CHARACTERS)),
  },
);

const transcriptTurn = (validOnly: boolean) =>
  fc
    .record({
      speaker: member(
        fc.constantFrom<unknown>("therapist", "client"),
        fc.oneof(fc.constantFrom<unknown>("Therapist", "coder", undefined), junk),
        validOnly,
      ),
      text: member(goodText, badText, validOnly),
      startMs: optional(milliseconds, badMilliseconds, validOnly),
      endMs: optional(milliseconds, badMilliseconds, validOnly),
      extra: fc.option(fc.anything(), { nil: undefined }),
    })
    .map(({ speaker, text, startMs, endMs, extra }) => {
      const turn: Record<string, unknown> = { text, speaker };
      put(turn, "startMs", startMs);
      put(turn, "endMs", endMs);
      if (extra !== undefined) turn.addedInV2 = extra;
      return turn;
    });

const codedTurn = (validOnly: boolean) =>
  fc
    .record({
      index: member(
        fc.oneof(fc.nat({ max: MAX_CODED_COUNT }), fc.constantFrom(0, MAX_CODED_COUNT)),
        fc.oneof(fc.constant(MAX_CODED_COUNT + 1), fc.constant(undefined), badMilliseconds),
        validOnly,
      ),
      speaker: member(
        fc.constantFrom<unknown>("therapist", "client"),
        fc.oneof(fc.constantFrom<unknown>("Client", undefined), junk),
        validOnly,
      ),
      category: member(
        fc.constantFrom<unknown>(...CATEGORIES),
        fc.oneof(fc.constantFrom<unknown>("Question", "miti", undefined), junk),
        validOnly,
      ),
      reflection: optional(fc.constantFrom(...REFLECTIONS), fc.oneof(fc.constant("Simple"), junk), validOnly),
      miti: optional(fc.constantFrom(...MITI), fc.oneof(fc.constant("q"), junk), validOnly),
      confidence: member(
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(-0, 0, 1)),
        fc.oneof(fc.constantFrom(1.0000001, -0.1), junk),
        validOnly,
      ),
      extra: fc.option(fc.anything(), { nil: undefined }),
    })
    .map(({ index, speaker, category, reflection, miti, confidence, extra }) => {
      const turn: Record<string, unknown> = { confidence, category, speaker, index };
      put(turn, "reflection", reflection);
      put(turn, "miti", miti);
      if (extra !== undefined) turn.addedInV2 = extra;
      return turn;
    });

/** Another member broken beside the utterances, so issues from both places must come out alike. */
const otherChange = fc.oneof(
  { weight: 3, arbitrary: fc.constant((_event: Record<string, unknown>) => undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<(event: Record<string, unknown>) => void>(
      (event) => {
        (event.data as Record<string, unknown>).clientId = "not a valid id";
      },
      (event) => {
        event.subject = "cli_someone_else";
      },
      (event) => {
        delete (event.data as Record<string, unknown>).sessionId;
      },
      (event) => {
        event.time = "yesterday";
      },
      (event) => {
        (event.data as Record<string, unknown>).programmeId = 7;
      },
    ),
  },
);

/** Per member, values the schema refuses there: one of them breaks an otherwise valid turn. */
type Breakers = Readonly<Record<string, fc.Arbitrary<unknown>>>;

const TRANSCRIPT_BREAKERS: Breakers = {
  speaker: fc.oneof(fc.constantFrom<unknown>("Therapist", "coder", undefined), junk),
  text: badText,
  startMs: badMilliseconds,
  endMs: badMilliseconds,
};

const CODED_BREAKERS: Breakers = {
  index: fc.oneof(fc.constant(MAX_CODED_COUNT + 1), fc.constant(undefined), badMilliseconds),
  speaker: fc.oneof(fc.constantFrom<unknown>("Client", undefined), junk),
  category: fc.oneof(fc.constantFrom<unknown>("Question", "miti", undefined), junk),
  reflection: fc.oneof(fc.constant("Simple"), junk),
  miti: fc.oneof(fc.constant("q"), junk),
  confidence: fc.oneof(fc.constantFrom(1.0000001, -0.1), junk),
};

/** Valid turns around one turn with exactly one member broken: the fast route must find it. */
function oneBroken(valid: fc.Arbitrary<Record<string, unknown>>, breakers: Breakers) {
  const breaking = fc
    .constantFrom(...Object.keys(breakers))
    .chain((key) => (breakers[key] as fc.Arbitrary<unknown>).map((value) => [key, value] as const));
  return fc
    .tuple(fc.array(valid, { maxLength: 5 }), valid, breaking, fc.array(valid, { maxLength: 5 }))
    .map(([before, turn, [key, value], after]) => [...before, { ...turn, [key]: value }, ...after]);
}

/**
 * Utterance arrays: of valid turns, with one member of one turn broken, of turns each possibly
 * broken, with non-objects, or no array at all.
 */
function utterancesOf(turn: (validOnly: boolean) => fc.Arbitrary<Record<string, unknown>>, breakers: Breakers) {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(turn(true), { minLength: 1, maxLength: 12 }) },
    { weight: 6, arbitrary: oneBroken(turn(true), breakers) },
    { weight: 4, arbitrary: fc.array(turn(false), { minLength: 0, maxLength: 12 }) },
    { weight: 1, arbitrary: fc.array(fc.oneof(turn(true), junk), { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.oneof(junk, fc.constant(undefined)) },
  );
}

/** Whether some utterance has an optional member present but undefined (the fast route hands it over). */
function hasUndefinedMember(utterances: unknown): boolean {
  return (
    Array.isArray(utterances) &&
    utterances.some(
      (turn) =>
        typeof turn === "object" &&
        turn !== null &&
        Object.entries(turn).some(([key, value]) => value === undefined && key !== "addedInV2"),
    )
  );
}

/** Both routes on one event: same result, same member order, and the fast route used when it can. */
function expectSameAnswer(event: Record<string, unknown>) {
  const fast = validateEvokeEvent(event, OPTIONS);
  const generic = validateEvokeEventGeneric(event, OPTIONS);
  expect(fast).toStrictEqual(generic);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(generic));

  // The fast route must not merely hand everything to the schema: on data the schema accepts it
  // answers itself (but for members present as undefined, which it leaves to the schema).
  const type = event.type as EvokeEventType;
  const data = event.data as Record<string, unknown>;
  const schemaResult = judgingWithin({ receivedAt: RECEIVED_AT, limits: DEFAULT_TIME_LIMITS }, () =>
    ALL_EVENT_TYPES[type].data.safeParse(data),
  );
  const route = judgingWithin({ receivedAt: RECEIVED_AT, limits: DEFAULT_TIME_LIMITS }, () =>
    fastParseData(type, data),
  );
  if (route !== undefined) {
    expect(schemaResult.success).toBe(true);
    expect(route.data).toStrictEqual(schemaResult.data);
  } else if (!hasUndefinedMember(data.utterances)) {
    expect(schemaResult.success, "the fast route refused data the schema accepts").toBe(false);
  }
  return fast.ok;
}

// Generous: hundreds of generated events per property, on a machine that may be busy.
describe("the fast route agrees with the schemas", { timeout: 60_000 }, () => {
  it.each(["evoke.transcript.submitted", "evoke.session.coded"] as const)(
    "%s: the catalogue's example takes the fast route and parses alike",
    (type) => {
      const event = example(type);
      expect(fastParseData(type, event.data as Record<string, unknown>)).toBeDefined();
      expect(expectSameAnswer(event)).toBe(true);
    },
  );

  it.each([
    ["evoke.transcript.submitted", utterancesOf(transcriptTurn, TRANSCRIPT_BREAKERS)],
    ["evoke.session.coded", utterancesOf(codedTurn, CODED_BREAKERS)],
  ] as const)("%s: generated utterances, valid and not", (type, generatedUtterances) => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(generatedUtterances, otherChange, (utterances, change) => {
        const event = example(type);
        (event.data as Record<string, unknown>).utterances = utterances;
        change(event);
        if (expectSameAnswer(event)) valid += 1;
        else invalid += 1;
      }),
      { numRuns: 800 },
    );
    // Both sides of the decision were exercised, not one.
    expect(valid).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(50);
  });

  it("array limits: none, the most, one too many", () => {
    const turn = { speaker: "client", text: "Yes." };
    for (const length of [0, 1, MAX_UTTERANCES, MAX_UTTERANCES + 1]) {
      const event = example("evoke.transcript.submitted");
      (event.data as Record<string, unknown>).utterances = Array.from({ length }, () => ({ ...turn }));
      expect(expectSameAnswer(event)).toBe(length >= 1 && length <= MAX_UTTERANCES);
    }
  });

  it("reports a broken utterance in the schema's words and place", () => {
    const event = example("evoke.transcript.submitted");
    (event.data as { utterances: unknown[] }).utterances[1] = { speaker: "client", text: "a\u0000b", startMs: -1 };
    const result = validateEvokeEvent(event, OPTIONS);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((issue) => issue.field)).toEqual([
      "data.utterances[1].text",
      "data.utterances[1].startMs",
    ]);
  });

  it("a turn ending before it starts is refused on both routes", () => {
    const event = example("evoke.transcript.submitted");
    (event.data as { utterances: unknown[] }).utterances[0] = {
      speaker: "therapist",
      text: "Hello.",
      startMs: 500,
      endMs: 499,
    };
    expect(expectSameAnswer(event)).toBe(false);
  });
});

// ---- the envelope ------------------------------------------------------------------------------

const ENVELOPE_TYPE = "evoke.session.attended";

/** Each attribute valid, refused, absent or present as undefined; extensions good and bad. */
const generatedEnvelope = fc
  .record({
    specversion: member(fc.constant("1.0"), fc.constantFrom<unknown>("1", "0.3", 1, undefined), false),
    id: member(
      fc.oneof(fc.stringMatching(ID_PATTERN), fc.constantFrom("evt_1", "a".repeat(128))),
      fc.oneof(fc.constantFrom<unknown>("", "has space", "-lead", "a".repeat(129), undefined), junk),
      false,
    ),
    source: member(
      fc.constantFrom(
        "urn:clinic:north:intake",
        "/clinics/north/intake",
        "https://ehr.example.org/feeds/intake",
        `urn:${"a".repeat(508)}`,
      ),
      fc.oneof(
        fc.constantFrom<unknown>(
          "",
          "not a uri",
          "relative/path",
          "urn:x\u0000",
          `urn:${"a".repeat(509)}`,
          "urn:\ud800",
        ),
        junk,
      ),
      false,
    ),
    type: member(
      fc.constant(ENVELOPE_TYPE),
      fc.oneof(fc.constantFrom<unknown>("evoke.unknown", "a\u0000b"), junk),
      false,
    ),
    time: member(
      fc.constantFrom("2026-03-14T10:05:00Z", "2026-03-14T10:05:00.123+01:00", "2026-05-31T23:59:59.999999-05:30"),
      fc.oneof(
        fc.constantFrom<unknown>(
          "2026-03-14 10:05",
          "2026-02-30T10:00:00Z",
          "2026-03-14T10:05:00",
          "2026-03-14T24:00:00Z",
          "1999-12-31T23:59:59Z",
          "2026-06-03T00:00:00Z",
        ),
        junk,
      ),
      false,
    ),
    subject: optional(
      fc.constant("cli_7f3a9c"),
      fc.oneof(fc.constantFrom<unknown>("not an id!", "cli_other"), junk),
      false,
    ),
    datacontenttype: optional(
      fc.constantFrom("application/json", "application/cloudevents+json; charset=utf-8", "APPLICATION/JSON"),
      fc.oneof(fc.constantFrom<unknown>("text/plain", "application/json\u0000"), junk),
      false,
    ),
    dataschema: optional(
      fc.constantFrom("https://evoke.example/schemas/attended.json", "/schemas/attended"),
      fc.oneof(fc.constantFrom<unknown>("", "not a uri"), junk),
      false,
    ),
    data: fc.oneof(
      { weight: 12, arbitrary: fc.constant("example") },
      { weight: 1, arbitrary: fc.constantFrom<unknown>([], null, "x", "null-prototype", undefined) },
    ),
    dataBase64: fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constant("e30=") },
    ),
    extension: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      {
        weight: 3,
        arbitrary: fc.constantFrom<[string, unknown]>(
          ["traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
          ["Bad_Name", "x"],
          ["tenant", {}],
        ),
      },
    ),
  })
  .map(({ data, dataBase64, extension, subject, datacontenttype, dataschema, ...required }) => {
    const event: Record<string, unknown> = { ...required };
    put(event, "subject", subject);
    put(event, "datacontenttype", datacontenttype);
    put(event, "dataschema", dataschema);
    const example = structuredClone(ALL_EVENT_TYPES[ENVELOPE_TYPE].example) as Record<string, unknown>;
    if (data === "example") event.data = example;
    else if (data === "null-prototype") event.data = Object.assign(Object.create(null), example);
    else if (data !== undefined) event.data = data;
    if (dataBase64 !== undefined) event.data_base64 = dataBase64;
    if (extension !== undefined) event[extension[0]] = extension[1];
    return event;
  });

/**
 * What the fast route hands to the schema even when valid: an attribute present as undefined, or
 * data that is an object but not an ordinary one (JSON.parse never makes another).
 */
function handedOver(event: Record<string, unknown>): boolean {
  const { data } = event;
  const unusualData = typeof data === "object" && data !== null && Object.getPrototypeOf(data) !== Object.prototype;
  return unusualData || Object.values(event).some((value) => value === undefined);
}

describe("the envelope's fast route agrees with the schema", { timeout: 60_000 }, () => {
  it("checks times with the very pattern of the schema's RFC 3339 type", () => {
    expect(RFC3339_WITH_OFFSET.source).toBe((timestamp._zod.def as unknown as { pattern: RegExp }).pattern.source);
  });

  it("generated envelopes, valid and not: same answers, and the fast route taken whenever the schema accepts", () => {
    let valid = 0;
    let invalid = 0;
    let fastTaken = 0;
    fc.assert(
      fc.property(generatedEnvelope, (event) => {
        const window = { receivedAt: RECEIVED_AT, limits: DEFAULT_TIME_LIMITS };
        const fast = judgingWithin(window, () => fastEnvelope(event));
        const schema = judgingWithin(window, () => envelope.safeParse(event));
        if (fast !== undefined) {
          fastTaken += 1;
          expect(schema.success).toBe(true);
          const { data: _fastData, ...fastAttributes } = fast;
          const { data: _schemaData, ...schemaAttributes } = schema.data ?? {};
          expect(fastAttributes).toStrictEqual(schemaAttributes);
        } else if (!handedOver(event)) {
          expect(schema.success, "the fast route refused an envelope the schema accepts").toBe(false);
        }
        const fastAnswer = validateEvokeEvent(event, OPTIONS);
        const genericAnswer = validateEvokeEventGeneric(event, OPTIONS);
        expect(fastAnswer).toStrictEqual(genericAnswer);
        expect(JSON.stringify(fastAnswer)).toBe(JSON.stringify(genericAnswer));
        if (fastAnswer.ok) valid += 1;
        else invalid += 1;
      }),
      { numRuns: 1_500 },
    );
    expect(valid).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(100);
    expect(fastTaken).toBeGreaterThan(100);
  });
});
