import { z } from "zod";

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

/** An RFC 3339 timestamp with an explicit offset (`Z` or `+hh:mm`). */
export const timestamp = z.iso
  .datetime({
    offset: true,
    error: (issue) =>
      issue.input === undefined
        ? "is required"
        : "must be an RFC 3339 date-time with an offset, e.g. 2026-03-14T09:30:00Z or 2026-03-14T10:30:00+01:00",
  })
  .describe("RFC 3339 date-time with an offset, e.g. 2026-03-14T09:30:00Z.");

/** Free text from the clinic's systems that is not health data (names of programmes, staff). */
export function label(maxLength: number) {
  return z
    .string({ error: required("must be a string") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(maxLength, { error: `must be at most ${maxLength} characters` });
}

/** A non-negative whole number, such as a behaviour count. */
export function count(max: number) {
  return z
    .number({ error: required("must be a whole number") })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must not be negative" })
    .max(max, { error: `must be at most ${max}` });
}
