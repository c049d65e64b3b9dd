import { z } from "zod";
import { type envelope, isUriReferenceText, JSON_CONTENT_TYPE, URI_REFERENCE_MAX_LENGTH } from "./envelope.ts";
import { ID_PATTERN, textProblem } from "./primitives.ts";
import { timeProblem } from "./time-limits.ts";
import { CATEGORIES, MAX_CODED_COUNT, MITI, REFLECTIONS, sessionCoded } from "./types/coded.ts";
import { MAX_UTTERANCE_CHARACTERS, MAX_UTTERANCES, SPEAKERS, transcriptSubmitted } from "./types/transcripts.ts";

/*
 * A faster route through the two big arrays of the contract: a transcript's utterances and a
 * coding's. zod walks each of their elements through an object schema and a chain of checks, and
 * that walk was most of the aggregation sink's validation time (a 40-turn transcript and its
 * coding are 80 elements). Here each element is checked with straight-line code against the same
 * rules, and the rest of the event's data goes through its own schema with the array left out.
 *
 * The generic path stays the contract: this route may only say "valid, and this is what the schema
 * would have produced". Anything it does not accept (an error, or a shape it does not handle,
 * such as an optional member present but undefined) returns undefined and the generic schema
 * decides and words the errors, so the issues reported never depend on which route ran.
 * fast-path.test.ts checks that both routes agree on valid and invalid inputs.
 *
 * The envelope has a fast route of its own (fastEnvelope): its nine attributes are half of a small
 * event's validation through zod, and a few comparisons when written out.
 */

type Utterances = (value: unknown) => object[] | undefined;

const SPEAKER = new Set<unknown>(SPEAKERS);
const CATEGORY = new Set<unknown>(CATEGORIES);
const REFLECTION = new Set<unknown>(REFLECTIONS);
const MITI_CODE = new Set<unknown>(MITI);

/** What zod's z.object accepts as an object. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A member zod's optional() would output as absent: not there at all. */
function absent(turn: Record<string, unknown>, key: string): boolean {
  return turn[key] === undefined && !(key in turn);
}

/** `milliseconds` of transcripts.ts: z.number().int().min(0), int meaning a safe integer. */
function isMilliseconds(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** transcripts.ts's utterance array: 1 to MAX_UTTERANCES turns. */
const transcriptUtterances: Utterances = (value) => {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_UTTERANCES) return undefined;
  const parsed: object[] = new Array(value.length);
  for (let index = 0; index < value.length; index += 1) {
    const turn: unknown = value[index];
    if (!isRecord(turn)) return undefined;
    const { speaker, text, startMs, endMs } = turn;
    if (!SPEAKER.has(speaker)) return undefined;
    if (typeof text !== "string" || text.length < 1 || text.length > MAX_UTTERANCE_CHARACTERS) return undefined;
    if (textProblem(text) !== undefined) return undefined;
    const hasStart = startMs !== undefined;
    const hasEnd = endMs !== undefined;
    if (hasStart ? !isMilliseconds(startMs) : !absent(turn, "startMs")) return undefined;
    if (hasEnd ? !isMilliseconds(endMs) : !absent(turn, "endMs")) return undefined;
    if (hasStart && hasEnd && (endMs as number) < (startMs as number)) return undefined;
    // The members in the schema's order, unknown ones dropped: what zod outputs.
    parsed[index] = hasStart
      ? hasEnd
        ? { speaker, text, startMs, endMs }
        : { speaker, text, startMs }
      : hasEnd
        ? { speaker, text, endMs }
        : { speaker, text };
  }
  return parsed;
};

/** coded.ts's utterance array (no length limits). */
const codedUtterances: Utterances = (value) => {
  if (!Array.isArray(value)) return undefined;
  const parsed: object[] = new Array(value.length);
  for (let position = 0; position < value.length; position += 1) {
    const turn: unknown = value[position];
    if (!isRecord(turn)) return undefined;
    const { index, speaker, category, reflection, miti, confidence } = turn;
    if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0 || index > MAX_CODED_COUNT) {
      return undefined;
    }
    if (!SPEAKER.has(speaker) || !CATEGORY.has(category)) return undefined;
    if (typeof confidence !== "number" || !(confidence >= 0 && confidence <= 1)) return undefined;
    const hasReflection = reflection !== undefined;
    const hasMiti = miti !== undefined;
    if (hasReflection ? !REFLECTION.has(reflection) : !absent(turn, "reflection")) return undefined;
    if (hasMiti ? !MITI_CODE.has(miti) : !absent(turn, "miti")) return undefined;
    const coded: Record<string, unknown> = { index, speaker, category };
    if (hasReflection) coded.reflection = reflection;
    if (hasMiti) coded.miti = miti;
    coded.confidence = confidence;
    parsed[position] = coded;
  }
  return parsed;
};

interface FastType {
  /** The type's data schema with `utterances` accepted as is (checked by `utterances`). */
  readonly rest: z.ZodType;
  readonly utterances: Utterances;
}

const FAST_TYPES: Readonly<Record<string, FastType>> = {
  "evoke.transcript.submitted": {
    rest: transcriptSubmitted.extend({ utterances: z.unknown() }),
    utterances: transcriptUtterances,
  },
  "evoke.session.coded": {
    rest: sessionCoded.extend({ utterances: z.unknown() }),
    utterances: codedUtterances,
  },
};

/**
 * The parsed data of an event of `type`, when the fast route can vouch for all of it; undefined
 * when the type has no fast route or anything in it is not plainly valid (the generic schema must
 * then decide and report). Runs inside the caller's time window (judgingWithin) like the schema.
 */
export function fastParseData(type: string, data: Record<string, unknown>): { readonly data: unknown } | undefined {
  const fast = Object.hasOwn(FAST_TYPES, type) ? FAST_TYPES[type] : undefined;
  if (fast === undefined) return undefined;
  const utterances = fast.utterances(data.utterances);
  if (utterances === undefined) return undefined;
  const rest = fast.rest.safeParse(data);
  if (!rest.success) return undefined;
  // Same key, same place: `extend` keeps an existing member where it was in the shape.
  (rest.data as Record<string, unknown>).utterances = utterances;
  return { data: rest.data };
}

// ---- the envelope ------------------------------------------------------------------------------

type Envelope = z.output<typeof envelope>;

/** The pattern of z.iso.datetime({ offset: true }), which `timestamp` in primitives.ts is. */
export const RFC3339_WITH_OFFSET = z.regexes.datetime({ offset: true });

function isUriReferenceValue(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length >= 1 &&
    value.length <= URI_REFERENCE_MAX_LENGTH &&
    textProblem(value) === undefined &&
    isUriReferenceText(value)
  );
}

/**
 * The envelope as `envelope` (envelope.ts) parses it, when every attribute is plainly valid and
 * each optional one is either absent or a valid value; undefined otherwise, for the schema to
 * decide and word. Runs inside the caller's time window (judgingWithin), like the schema.
 */
export function fastEnvelope(input: Record<string, unknown>): Envelope | undefined {
  const { specversion, id, source, type, time, subject, datacontenttype, dataschema, data } = input;
  if (specversion !== "1.0") return undefined;
  if (typeof id !== "string" || !ID_PATTERN.test(id)) return undefined;
  if (!isUriReferenceValue(source)) return undefined;
  if (typeof type !== "string" || textProblem(type) !== undefined) return undefined;
  if (typeof time !== "string" || !RFC3339_WITH_OFFSET.test(time) || timeProblem(time, "occurred") !== undefined) {
    return undefined;
  }
  if (!absent(input, "subject") && (typeof subject !== "string" || !ID_PATTERN.test(subject))) return undefined;
  if (
    !absent(input, "datacontenttype") &&
    (typeof datacontenttype !== "string" ||
      textProblem(datacontenttype) !== undefined ||
      !JSON_CONTENT_TYPE.test(datacontenttype))
  ) {
    return undefined;
  }
  if (!absent(input, "dataschema") && !isUriReferenceValue(dataschema)) return undefined;
  // z.record accepts plain objects only; JSON.parse makes nothing else.
  if (typeof data !== "object" || data === null || Object.getPrototypeOf(data) !== Object.prototype) return undefined;
  if (!absent(input, "data_base64")) return undefined;
  const parsed: Record<string, unknown> = { specversion, id, source, type, time };
  if (subject !== undefined) parsed.subject = subject;
  if (datacontenttype !== undefined) parsed.datacontenttype = datacontenttype;
  if (dataschema !== undefined) parsed.dataschema = dataschema;
  parsed.data = data;
  return parsed as Envelope;
}
