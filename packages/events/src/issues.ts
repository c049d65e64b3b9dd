import type { z } from "zod";

/** One thing wrong with an event, as an integration engineer needs to see it. */
export interface ValidationIssue {
  /** Dotted path, e.g. `data.utterances[3].text`; "" for the event as a whole. */
  readonly field: string;
  /** The same place as an RFC 6901 JSON Pointer, e.g. `/data/utterances/3/text`. */
  readonly pointer: string;
  /** What is wrong, e.g. "must be an RFC 3339 date-time with an offset". Never echoes values. */
  readonly reason: string;
}

type Path = readonly PropertyKey[];

export function fieldOf(path: Path): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

export function pointerOf(path: Path): string {
  return path.map((part) => `/${String(part).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

export function issueAt(path: Path, reason: string): ValidationIssue {
  return { field: fieldOf(path), pointer: pointerOf(path), reason };
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "string":
      return "a string";
    default:
      return typeof value;
  }
}

const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
};

// zod's own messages start like this; ours (set on the schemas) never do.
const ZOD_DEFAULT = /^(Invalid input|Invalid option|Too small|Too big|Invalid string|Invalid element)/;

/**
 * A zod issue in our words. Messages written on the schemas pass through; zod's defaults are
 * rephrased. Only the JSON type of a wrong value is mentioned, never the value: it could be
 * transcript text.
 */
export function describeZodIssue(issue: z.core.$ZodIssue, prefix: Path = []): ValidationIssue {
  const path = [...prefix, ...issue.path];
  if (!ZOD_DEFAULT.test(issue.message)) return issueAt(path, issue.message);
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return issueAt(path, "is required");
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issueAt(path, `must be ${expected}, got ${jsonTypeOf(issue.input)}`);
    }
    case "invalid_value":
      return issueAt(path, `must be ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`);
    case "too_small":
      return issueAt(
        path,
        issue.origin === "array" ? `must have at least ${issue.minimum} items` : `must be at least ${issue.minimum}`,
      );
    case "too_big":
      return issueAt(
        path,
        issue.origin === "array" ? `must have at most ${issue.maximum} items` : `must be at most ${issue.maximum}`,
      );
    default:
      return issueAt(path, issue.message);
  }
}
