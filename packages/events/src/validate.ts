import { EVENT_TYPE_NAMES, EVENT_TYPES, type EventData, type EventType, isEventType } from "./catalogue.ts";
import { CONTEXT_ATTRIBUTES, EXTENSION_NAME, type Extensions, envelope } from "./envelope.ts";
import { describeZodIssue, issueAt, type ValidationIssue } from "./issues.ts";

/** A validated CloudEvent of one of Evoke's types, its data parsed and normalised. */
export interface CloudEvent<T extends EventType = EventType> {
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

/** Any of Evoke's events, discriminated by `type`. */
export type IntakeEvent = { [T in EventType]: CloudEvent<T> }[EventType];

export type Validation =
  | { readonly ok: true; readonly event: IntakeEvent }
  | {
      readonly ok: false;
      readonly issues: readonly ValidationIssue[];
      /** The event's type when it named a known one (for metrics), else undefined. */
      readonly type: EventType | undefined;
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
      extensions[name] = value;
    } else {
      issues.push(issueAt([name], "must be a string, number or boolean (a CloudEvents extension attribute)"));
    }
  }
  return { extensions, issues };
}

function subjectIssues(type: EventType, subject: unknown, data: Record<string, unknown>): ValidationIssue[] {
  const rule = EVENT_TYPES[type].subject;
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

/**
 * Checks one CloudEvent against the envelope and its type's data schema, and reports every
 * problem at once (an engineer fixing a payload should not have to resubmit to find the next).
 * Unknown members of `data` are dropped: the contract is forward compatible.
 */
export function validateEvent(input: unknown): Validation {
  if (!isObject(input)) {
    return { ok: false, type: undefined, issues: [issueAt([], "must be a JSON object (one CloudEvent)")] };
  }
  const envelopeResult = envelope.safeParse(input, { reportInput: true });
  const { extensions, issues } = extensionIssues(input);
  if (!envelopeResult.success) issues.push(...envelopeResult.error.issues.map((issue) => describeZodIssue(issue)));

  const type = typeof input.type === "string" ? input.type : undefined;
  if (type !== undefined && !isEventType(type)) {
    issues.push(issueAt(["type"], `is not an Evoke event type; the types are ${EVENT_TYPE_NAMES.join(", ")}`));
  }
  const knownType = type !== undefined && isEventType(type) ? type : undefined;

  let data: unknown;
  if (knownType !== undefined && isObject(input.data)) {
    const dataResult = EVENT_TYPES[knownType].data.safeParse(input.data, { reportInput: true });
    if (dataResult.success) data = dataResult.data;
    else issues.push(...dataResult.error.issues.map((issue) => describeZodIssue(issue, ["data"])));
    issues.push(...subjectIssues(knownType, input.subject, input.data));
  }

  if (issues.length > 0 || !envelopeResult.success || knownType === undefined) {
    return { ok: false, type: knownType, issues };
  }
  const { specversion, id, source, time, subject, datacontenttype, dataschema } = envelopeResult.data;
  const event = {
    specversion,
    id,
    source,
    type: knownType,
    time,
    subject,
    datacontenttype,
    dataschema,
    extensions,
    data,
  };
  // The data was parsed by the schema of `knownType`, so the pairing holds.
  return { ok: true, event: event as IntakeEvent };
}

/** The Kafka key: the client for client events, else what the event is about. */
export function partitionKey(event: IntakeEvent): string {
  return EVENT_TYPES[event.type].partitionKey(event.data, event.subject);
}
