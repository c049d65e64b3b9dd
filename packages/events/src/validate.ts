import type { z } from "zod";
import {
  ALL_EVENT_TYPES,
  EVENT_TYPE_NAMES,
  EVENT_TYPES,
  type EventData,
  type EventType,
  type EvokeEventType,
  type SubjectRule,
} from "./catalogue.ts";
import { CONTEXT_ATTRIBUTES, EXTENSION_NAME, type Extensions, envelope } from "./envelope.ts";
import { fastEnvelope, fastParseData } from "./fast-path.ts";
import { describeZodIssue, issueAt, type ValidationIssue } from "./issues.ts";
import { textProblem } from "./primitives.ts";
import { DEFAULT_TIME_LIMITS, judgingWithin, type TimeLimits } from "./time-limits.ts";

/** A validated CloudEvent of one of Evoke's types, its data parsed and normalised. */
export interface CloudEvent<T extends EvokeEventType = EventType> {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly type: T;
  readonly time: string;
  readonly subject?: string | undefined;
  readonly datacontenttype?: string | undefined;
  readonly dataschema?: string | undefined;
  /** CloudEvents extension attributes (e.g. traceparent), passed along unchanged. */
  readonly extensions: Extensions;
  readonly data: EventData<T>;
}

/** Any event ingest accepts, discriminated by `type`. */
export type IntakeEvent = { [T in EventType]: CloudEvent<T> }[EventType];

/** Any event on Evoke's topics: intake events and the pipeline's own. */
export type EvokeEvent = { [T in EvokeEventType]: CloudEvent<T> }[EvokeEventType];

export type Validation<Event = IntakeEvent, Type = EventType> =
  | { readonly ok: true; readonly event: Event }
  | {
      readonly ok: false;
      readonly issues: readonly ValidationIssue[];
      /** The event's type when it named a known one (for metrics), else undefined. */
      readonly type: Type | undefined;
    };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function extensionIssues(input: Record<string, unknown>): { extensions: Extensions; issues: ValidationIssue[] } {
  const extensions: Record<string, string | number | boolean> = {};
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (CONTEXT_ATTRIBUTES.has(name)) continue;
    if (!EXTENSION_NAME.test(name)) {
      issues.push(
        issueAt(
          [name],
          "is not a CloudEvents attribute; extension attribute names are 1-20 lowercase letters or digits",
        ),
      );
    } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      // Extensions travel on to Kafka headers and consumers: the text rules hold for them too.
      const problem = typeof value === "string" ? textProblem(value) : undefined;
      if (problem === undefined) extensions[name] = value;
      else issues.push(issueAt([name], problem));
    } else {
      issues.push(issueAt([name], "must be a string, number or boolean (a CloudEvents extension attribute)"));
    }
  }
  return { extensions, issues };
}

/** What validation needs of a type's definition. */
interface CheckedType {
  readonly data: z.ZodType;
  readonly subject: SubjectRule;
}

/**
 * "fast" lets fast-path.ts vouch for the envelope and for the data of the types it knows (the
 * schema still decides and words every rejection); "generic" is the schema alone, for the tests
 * that hold both to agree.
 */
type Route = "fast" | "generic";

function subjectIssues(definition: CheckedType, subject: unknown, data: Record<string, unknown>): ValidationIssue[] {
  const rule = definition.subject;
  if (rule === "none" && subject !== undefined) {
    return [issueAt(["subject"], "must be left out: this event is not about a client")];
  }
  if (rule === "client" && subject === undefined) {
    return [issueAt(["subject"], "is required: the pseudonymous client ID, the same as data.clientId")];
  }
  if (rule === "client" && subject !== data.clientId) {
    return [issueAt(["subject"], "must equal data.clientId (subject is the pseudonymous client ID)")];
  }
  return [];
}

function validateWith<Type extends string>(
  input: unknown,
  catalogue: Readonly<Record<Type, CheckedType>>,
  typeNames: readonly string[],
  route: Route = "fast",
): Validation<unknown, Type> {
  if (!isObject(input)) {
    return { ok: false, type: undefined, issues: [issueAt([], "must be a JSON object (one CloudEvent)")] };
  }
  const fastEnvelopeData = route === "fast" ? fastEnvelope(input) : undefined;
  const envelopeResult =
    fastEnvelopeData !== undefined
      ? ({ success: true, data: fastEnvelopeData } as const)
      : envelope.safeParse(input, { reportInput: true });
  const { extensions, issues } = extensionIssues(input);
  if (!envelopeResult.success) issues.push(...envelopeResult.error.issues.map((issue) => describeZodIssue(issue)));

  const type = typeof input.type === "string" ? input.type : undefined;
  const knownType = type !== undefined && Object.hasOwn(catalogue, type) ? (type as Type) : undefined;
  if (type !== undefined && knownType === undefined) {
    issues.push(issueAt(["type"], `is not an Evoke event type; the types are ${typeNames.join(", ")}`));
  }

  let data: unknown;
  if (knownType !== undefined && isObject(input.data)) {
    const definition = catalogue[knownType];
    const fast = route === "fast" ? fastParseData(knownType, input.data) : undefined;
    if (fast !== undefined) data = fast.data;
    else {
      const dataResult = definition.data.safeParse(input.data, { reportInput: true });
      if (dataResult.success) data = dataResult.data;
      else issues.push(...dataResult.error.issues.map((issue) => describeZodIssue(issue, ["data"])));
    }
    issues.push(...subjectIssues(definition, input.subject, input.data));
  }

  if (issues.length > 0 || !envelopeResult.success || knownType === undefined) {
    return { ok: false, type: knownType, issues };
  }
  const { specversion, id, source, time, subject, datacontenttype, dataschema } = envelopeResult.data;
  return {
    ok: true,
    event: { specversion, id, source, type: knownType, time, subject, datacontenttype, dataschema, extensions, data },
  };
}

/** Named in the error for an unknown type; computed once, not per event. */
const EVOKE_EVENT_TYPE_NAMES = Object.keys(ALL_EVENT_TYPES);

/** When and against which limits an event's timestamps are judged (see time-limits.ts). */
export interface ValidationOptions {
  /** When the event was received; default: the clock, now. */
  readonly receivedAt?: Date;
  /** Default: DEFAULT_TIME_LIMITS (24 h skew, bookings 730 days ahead, nothing before 2000-01-01). */
  readonly timeLimits?: TimeLimits;
}

function judged<T>(options: ValidationOptions, validate: () => T): T {
  const window = { receivedAt: options.receivedAt ?? new Date(), limits: options.timeLimits ?? DEFAULT_TIME_LIMITS };
  return judgingWithin(window, validate);
}

/**
 * Checks one CloudEvent of a type ingest accepts against the envelope and its type's data
 * schema, and reports every problem at once (an engineer fixing a payload should not have to
 * resubmit to find the next). Unknown members of `data` are dropped: the contract is forward
 * compatible. Whatever passes can be stored: every string meets the text rules and every time
 * lies within `options.timeLimits` of `options.receivedAt`.
 */
export function validateEvent(input: unknown, options: ValidationOptions = {}): Validation {
  // The data was parsed by the schema of the event's own type, so the pairing holds.
  return judged(options, () => validateWith(input, EVENT_TYPES, EVENT_TYPE_NAMES)) as Validation;
}

/** The same checks for any event on Evoke's topics, pipeline events included (for consumers). */
export function validateEvokeEvent(
  input: unknown,
  options: ValidationOptions = {},
): Validation<EvokeEvent, EvokeEventType> {
  return judged(options, () => validateWith(input, ALL_EVENT_TYPES, EVOKE_EVENT_TYPE_NAMES)) as Validation<
    EvokeEvent,
    EvokeEventType
  >;
}

/** validateEvokeEvent by the schemas alone, without fast-path.ts: for the tests comparing the two. */
export function validateEvokeEventGeneric(
  input: unknown,
  options: ValidationOptions = {},
): Validation<EvokeEvent, EvokeEventType> {
  return judged(options, () => validateWith(input, ALL_EVENT_TYPES, EVOKE_EVENT_TYPE_NAMES, "generic")) as Validation<
    EvokeEvent,
    EvokeEventType
  >;
}

/** The Kafka key: the client for client events, else what the event is about. */
export function partitionKey(event: EvokeEvent): string {
  return ALL_EVENT_TYPES[event.type].partitionKey(event.data, event.subject);
}
