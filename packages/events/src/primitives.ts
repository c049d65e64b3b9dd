import { z } from "zod";
import { type TimeKind, timeProblem } from "./time-limits.ts";

/*
 * The building blocks every event type shares. Their messages are written for integration
 * engineers reading a 400 response: what is expected, in their terms.
 */

/**
 * An error message for a field's type check that says "is required" when the field is
 * missing, and `message` when it holds the wrong kind of value.
 */
export function required(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message);
}

/** Letters, digits and `. _ : -`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const ID_ALPHABET_DESCRIPTION =
  "1-128 characters: letters, digits, '.', '_', ':' and '-', starting with a letter or digit";

/**
 * An opaque identifier minted by the sending system (client, session, programme...). Client
 * identifiers must be pseudonymous: never a name, a medical record number or an email.
 */
export const id = z
  .string({ error: required("must be a string") })
  .regex(ID_PATTERN, { error: `must be an ID of ${ID_ALPHABET_DESCRIPTION}` })
  .describe(`An opaque, pseudonymous identifier: ${ID_ALPHABET_DESCRIPTION}.`);

const RFC3339_EXAMPLE = "e.g. 2026-03-14T09:30:00Z or 2026-03-14T10:30:00+01:00";

function rfc3339(kind: TimeKind, description: string) {
  return z.iso
    .datetime({
      offset: true,
      error: (issue) =>
        issue.input === undefined ? "is required" : `must be an RFC 3339 date-time with an offset, ${RFC3339_EXAMPLE}`,
    })
    .check((payload) => {
      // Judged only once the syntax holds (zod runs checks after a failed one).
      if (payload.issues.length > 0) return;
      const problem = timeProblem(payload.value, kind);
      if (problem !== undefined) payload.issues.push({ code: "custom", message: problem, input: payload.value });
    })
    .describe(description);
}

/**
 * An RFC 3339 timestamp with an explicit offset (`Z` or `+hh:mm`) of something that has
 * happened: not later than shortly after receipt, not before the earliest accepted date
 * (see time-limits.ts). Every time of every event type is this or `plannedTimestamp`.
 */
export const timestamp = rfc3339(
  "occurred",
  "RFC 3339 date-time with an offset, e.g. 2026-03-14T09:30:00Z; at most 24 hours (by default) after Evoke receives the event and not before 2000-01-01 (by default).",
);

/** A timestamp of a booking, which may lie ahead of receipt (by default up to 730 days). */
export const plannedTimestamp = rfc3339(
  "planned",
  "RFC 3339 date-time with an offset, e.g. 2026-03-14T09:30:00Z; at most 730 days (by default) after Evoke receives the event and not before 2000-01-01 (by default).",
);

/*
 * Text rules for every string of every event, applied by `text()`. PostgreSQL cannot store NUL
 * (U+0000) in text or JSON, and an unpaired UTF-16 surrogate is not a character at all: it
 * cannot be encoded as UTF-8, so it would be refused by the database or silently replaced. The
 * other control characters are refused too: in a name or a transcript they are corruption (a
 * bad export, mojibake), never meaning. Tab, line feed and carriage return are allowed:
 * transcripts are multi-line and often come from Windows (CRLF); they are stored as sent.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is its purpose.
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** With the u flag a surrogate pair reads as one code point, so only an unpaired one matches. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;
/** Both in one pass: almost every string passes, and this is all it costs. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is its purpose.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/u;

export const TEXT_RULES_DESCRIPTION =
  "no control characters other than tab, line feed and carriage return, and no unpaired UTF-16 surrogates";

/** Why a string cannot be stored as text, or undefined. Names the rule, never the content. */
export function textProblem(value: string): string | undefined {
  if (!FORBIDDEN.test(value)) return undefined;
  if (FORBIDDEN_CONTROL.test(value)) {
    return "must not contain control characters (U+0000-U+001F, U+007F-U+009F) other than tab, line feed and carriage return";
  }
  if (UNPAIRED_SURROGATE.test(value)) {
    return "must not contain an unpaired UTF-16 surrogate (a lone \\uD800-\\uDFFF escape): send whole characters as UTF-8";
  }
  return undefined;
}

/** A string that can be stored: every free-text field of every event is built on this. */
export function text() {
  return z.string({ error: required("must be a string") }).check((payload) => {
    const problem = textProblem(payload.value);
    if (problem !== undefined) payload.issues.push({ code: "custom", message: problem, input: payload.value });
  });
}

/** Free text from the clinic's systems that is not health data (names of programmes, staff). */
export function label(maxLength: number) {
  return text()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(maxLength, { error: `must be at most ${maxLength} characters` });
}

/*
 * Measures (readiness scores and their scales, minutes) are stored as PostgreSQL `real`, a
 * 4-byte float: a value beyond about 3.4e38, or so close to zero that it underflows (below
 * about 1e-45), is refused by the database. No questionnaire or clock gives such a number, so
 * the contract keeps well inside: 0, or between 1e-30 and 1e30 in size.
 */
const SMALLEST_MEASURE = 1e-30;
const LARGEST_MEASURE = 1e30;

/** A number that can be stored as a measure; `message` is the error for a value that is not a number. */
export function measure(message: string) {
  return z.number({ error: required(message) }).check((payload) => {
    const size = Math.abs(payload.value);
    if (size !== 0 && (size < SMALLEST_MEASURE || size > LARGEST_MEASURE)) {
      payload.issues.push({
        code: "custom",
        message: `must be 0 or between ${SMALLEST_MEASURE} and ${LARGEST_MEASURE} in size (Evoke stores it as a 4-byte float)`,
        input: payload.value,
      });
    }
  });
}

/** A non-negative whole number, such as a behaviour count. */
export function count(max: number) {
  return z
    .number({ error: required("must be a whole number") })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must not be negative" })
    .max(max, { error: `must be at most ${max}` });
}
