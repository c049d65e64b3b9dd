import { z } from "zod";
import { ID_ALPHABET_DESCRIPTION, id, text, timestamp } from "./primitives.ts";

/*
 * The CloudEvents 1.0 context attributes Evoke accepts (https://github.com/cloudevents/spec).
 * Stricter than the spec where the product needs it: `time` is required, `id` uses Evoke's ID
 * alphabet, and `data` must be a JSON object.
 */

export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

/** Attributes that are part of the envelope; any other top-level member is an extension. */
export const CONTEXT_ATTRIBUTES = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "dataschema",
  "data",
  "data_base64",
]);

function isUriReference(value: string): boolean {
  if (value.startsWith("/")) return true; // a relative reference such as /clinics/north/intake
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A source or dataschema: no white space or control characters, and a URI reference. */
export function isUriReferenceText(value: string): boolean {
  return !/[\s\p{Cc}]/u.test(value) && isUriReference(value);
}

export const URI_REFERENCE_MAX_LENGTH = 512;

/** What datacontenttype may say: JSON, with or without parameters. */
export const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json(\s*;.*)?$/i;

const uriReference = text()
  .min(1, { error: "must not be empty" })
  .max(URI_REFERENCE_MAX_LENGTH, { error: `must be at most ${URI_REFERENCE_MAX_LENGTH} characters` })
  .refine(isUriReferenceText, {
    error: "must be a URI reference, e.g. urn:clinic:north:intake or https://ehr.example.org/feeds/intake",
  });

export const envelope = z.object({
  specversion: z.literal("1.0", {
    error: (issue) => (issue.input === undefined ? 'is required ("1.0")' : 'must be "1.0" (CloudEvents 1.0)'),
  }),
  id: id.describe(`Unique per source; with source, the idempotency key. ${ID_ALPHABET_DESCRIPTION}.`),
  source: uriReference.describe("The sending system, as a URI reference (e.g. urn:clinic:north:intake)."),
  type: text(),
  time: timestamp,
  subject: id.optional().describe("The pseudonymous client ID the event is about."),
  datacontenttype: text()
    .refine((value) => JSON_CONTENT_TYPE.test(value), {
      error: "must be application/json (Evoke accepts JSON data only)",
    })
    .optional(),
  dataschema: uriReference.optional(),
  data: z.record(z.string(), z.unknown(), {
    error: (issue) => (issue.input === undefined ? "is required (a JSON object)" : "must be a JSON object"),
  }),
  data_base64: z.never({ error: "is not supported: send the event's data as JSON in data" }).optional(),
});

export type Extensions = Readonly<Record<string, string | number | boolean>>;
