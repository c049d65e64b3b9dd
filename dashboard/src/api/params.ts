import type { EpisodeFilter, SessionScope } from "@evoke/analytics";
import { z } from "zod";
import { type Principal, seesProgramme } from "../access/principal.ts";
import { type FieldError, notFound, ProblemError } from "../http/problems.ts";

/*
 * Query parameters: one zod schema per endpoint, the filter bar's four shared by all. Parsed
 * once at the edge into typed queries; errors name each parameter and why.
 */

const ID = /^[A-Za-z0-9_.:~-]{1,128}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const id = (what: string) => z.string().regex(ID, `must be ${what} id (letters, digits, . _ : ~ -)`);
export const day = z
  .string()
  .regex(DAY, "must be a date as YYYY-MM-DD")
  // Date.parse accepts 2026-02-30 (as 2 March): a real date survives the round trip.
  .refine((value) => {
    const time = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  }, "is not a calendar date");

/** The filter bar: programme, therapist and period, on every page and endpoint. */
export const filterParams = {
  programme: id("a programme").optional().describe("Only this programme (default: every programme the token sees)."),
  therapist: id("a therapist").optional().describe("Only this therapist's clients and sessions."),
  from: day
    .optional()
    .describe("Period start, YYYY-MM-DD (inclusive): sessions on or after; clients enrolled on or after."),
  to: day.optional().describe("Period end, YYYY-MM-DD (inclusive)."),
};

export const filterSchema = z.object(filterParams);
export type Filters = z.infer<typeof filterSchema>;

/** The filters the principal may ask for, as the analytics' scopes. */
export interface Scope {
  readonly filters: Filters;
  /** Null: every programme. */
  readonly programmeIds: readonly string[] | null;
  readonly therapistIds?: readonly string[];
  readonly from?: Date;
  readonly before?: Date;
}

const ONE_DAY_MS = 86_400_000;

export function resolveScope(principal: Principal, filters: Filters): Scope {
  if (filters.programme !== undefined && !seesProgramme(principal, filters.programme)) {
    throw notFound(`Programme "${filters.programme}"`);
  }
  const from = filters.from === undefined ? undefined : new Date(`${filters.from}T00:00:00Z`);
  const before = filters.to === undefined ? undefined : new Date(Date.parse(`${filters.to}T00:00:00Z`) + ONE_DAY_MS);
  if (from !== undefined && before !== undefined && from >= before) {
    throw new ProblemError("invalid-query", "to: the period ends before it starts (to must be on or after from).", {
      errors: [{ field: "to", reason: "must be on or after from" }],
    });
  }
  return {
    filters,
    programmeIds: filters.programme === undefined ? principal.programmeIds : [filters.programme],
    ...(filters.therapist === undefined ? {} : { therapistIds: [filters.therapist] }),
    ...(from === undefined ? {} : { from }),
    ...(before === undefined ? {} : { before }),
  };
}

export function sessionScope(scope: Scope): SessionScope {
  return {
    ...(scope.programmeIds === null ? {} : { programmeIds: scope.programmeIds }),
    ...(scope.therapistIds === undefined ? {} : { therapistIds: scope.therapistIds }),
    ...(scope.from === undefined ? {} : { from: scope.from }),
    ...(scope.before === undefined ? {} : { before: scope.before }),
  };
}

export function episodeFilter(scope: Scope): EpisodeFilter {
  return {
    ...(scope.programmeIds === null ? {} : { programmeIds: scope.programmeIds }),
    ...(scope.therapistIds === undefined ? {} : { therapistIds: scope.therapistIds }),
    ...(scope.from === undefined ? {} : { enrolledFrom: scope.from }),
    ...(scope.before === undefined ? {} : { enrolledBefore: scope.before }),
  };
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length === 0 ? "(query)" : issue.path.map(String).join("."),
    reason: issue.message,
  }));
}

/** Parses a query string's parameters (each given once; blank ones left out) or throws invalid-query naming each. */
export function parseQuery<Schema extends z.ZodType>(
  schema: Schema,
  params: Record<string, string>,
  slug: "invalid-query" | "invalid-form" = "invalid-query",
): z.infer<Schema> {
  // A blank parameter (an empty filter field of a GET form) means "not given".
  const given = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ""));
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  const detail = errors.map((error) => `${error.field} ${error.reason}`).join("; ");
  throw new ProblemError(slug, `${detail}.`, { errors });
}
