import type { ValidationIssue } from "@evoke/events";
import { ProblemError } from "./problems.ts";

/*
 * The CloudEvents HTTP protocol binding, decoding side: which of the content modes a request
 * uses, and the candidate events in it (not yet validated).
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md
 */

export const MEDIA_TYPES = {
  structured: "application/cloudevents+json",
  batch: "application/cloudevents-batch+json",
  binary: "application/json",
  ndjson: "application/x-ndjson",
} as const;

export type Mode = keyof typeof MEDIA_TYPES;

export const MAX_BATCH_EVENTS = 1_000;

/** The media type without parameters, lower-cased: "application/json; charset=utf-8" → "application/json". */
export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type === "" ? undefined : type;
}

/**
 * Which mode a request uses. Binary mode is recognised by its ce-specversion header, as the
 * binding specifies; its body may then be any JSON media type.
 */
export function modeOf(contentType: string | undefined, hasSpecVersionHeader: boolean): Mode {
  const type = mediaType(contentType);
  if (hasSpecVersionHeader) {
    if (type !== undefined && (type === "application/json" || type.endsWith("+json"))) return "binary";
    throw new ProblemError(
      "unsupported-media-type",
      `A binary-mode event (ce-* headers) must carry its data as JSON: Content-Type: application/json, not ${type ?? "none"}.`,
    );
  }
  switch (type) {
    case MEDIA_TYPES.structured:
      return "structured";
    case MEDIA_TYPES.batch:
      return "batch";
    case MEDIA_TYPES.ndjson:
      return "ndjson";
    case MEDIA_TYPES.binary:
      throw new ProblemError(
        "invalid-request",
        "A body of application/json is binary mode, which needs the event's attributes as ce-* headers (ce-specversion, ce-id, ce-source, ce-type, ce-time, ce-subject). To send the whole event in the body, use Content-Type: application/cloudevents+json.",
      );
    default:
      throw new ProblemError(
        "unsupported-media-type",
        `Content-Type ${type ?? "(missing)"} is not accepted. Use ${Object.values(MEDIA_TYPES).join(", ")}.`,
        { extensions: { accepted: Object.values(MEDIA_TYPES) } },
      );
  }
}

/** Parses JSON, failing with a position (never a quote of the body: it may hold health data). */
export function parseJson(text: string): unknown {
  if (text.trim() === "") throw new ProblemError("malformed-json", "The body is empty.");
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    if (position === undefined) throw new ProblemError("malformed-json", "The body is not valid JSON.");
    const before = text.slice(0, Number(position));
    const line = before.split("\n").length;
    const column = Number(position) - before.lastIndexOf("\n");
    throw new ProblemError("malformed-json", `The body is not valid JSON (line ${line}, column ${column}).`);
  }
}

/** The candidate events of a structured or batch request body. */
export function eventsInBody(mode: "structured" | "batch", body: unknown): unknown[] {
  if (mode === "structured") {
    if (Array.isArray(body)) {
      throw new ProblemError(
        "invalid-request",
        `A structured-mode body holds one event. To send several, use Content-Type: ${MEDIA_TYPES.batch}.`,
      );
    }
    return [body];
  }
  if (!Array.isArray(body)) {
    throw new ProblemError("invalid-request", "A batch-mode body must be a JSON array of CloudEvents.");
  }
  if (body.length === 0) throw new ProblemError("invalid-request", "The batch is empty: send at least one event.");
  if (body.length > MAX_BATCH_EVENTS) {
    throw new ProblemError(
      "batch-too-large",
      `The batch holds ${body.length} events; the limit is ${MAX_BATCH_EVENTS}. Split it, or stream the events as ${MEDIA_TYPES.ndjson}.`,
      { extensions: { limit: MAX_BATCH_EVENTS } },
    );
  }
  return body;
}

const CE_HEADER = /^ce-([a-z0-9]{1,20})$/;

/**
 * The candidate event of a binary-mode request: ce-* headers become context attributes
 * (values percent-decoded, as the binding requires), the body becomes `data`.
 */
export function eventFromBinary(
  headers: Readonly<Record<string, string>>,
  contentType: string,
  body: unknown,
): unknown {
  const event: Record<string, unknown> = { datacontenttype: contentType, data: body };
  for (const [name, value] of Object.entries(headers)) {
    const attribute = CE_HEADER.exec(name.toLowerCase())?.[1];
    if (attribute === undefined) continue;
    let decoded = value;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      // Not percent-encoded after all: keep the header as sent.
    }
    event[attribute] = decoded;
  }
  return event;
}

/** In binary mode a context attribute's problem is in its header: say so. */
export function locateInHeaders(issue: ValidationIssue): ValidationIssue {
  const attribute = /^\/([^/]+)$/.exec(issue.pointer)?.[1];
  if (attribute === undefined || attribute === "data") return issue;
  return { ...issue, field: attribute === "datacontenttype" ? "Content-Type header" : `ce-${attribute} header` };
}
