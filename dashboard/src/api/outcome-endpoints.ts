import {
  type CohortComparison,
  compareCohorts,
  type EpisodeFilter,
  fidelityOutcomeAssociation,
  type RetentionGroup,
  retentionByFidelityTier,
  SUMMARY_SCORES,
} from "@evoke/analytics";
import { z } from "zod";
import type { Cell, Table } from "../http/csv.ts";
import { ProblemError } from "../http/problems.ts";
import { endpoint } from "./endpoint.ts";
import { episodeFilter, fieldErrors, filterSchema, id, resolveScope } from "./params.ts";

/*
 * Fidelity against outcomes: readiness change and retention (associations, labelled so), and
 * cohort comparisons with tests and effect sizes.
 */

const measureParam = z
  .enum(SUMMARY_SCORES)
  .default("technical")
  .describe(
    "The client's fidelity: the mean over their coded sessions of technical, relational, percentComplexReflections or reflectionToQuestion.",
  );

export const associationEndpoint = endpoint({
  path: "/associations",
  summary: "Fidelity against an outcome, per client",
  description:
    "Each enrolment episode's (or each therapist's, with unit=therapist) mean session fidelity against its outcome (readiness change, or retained at 90 days as 0/1), the least-squares line with its 95% band, the correlation, and the slope adjusted for baseline readiness. An association, not an effect: see note.",
  capability: "aggregates",
  query: filterSchema.extend({
    measure: measureParam,
    outcome: z.enum(["readinessChange", "retained90", "sessionsAttended"]).default("readinessChange"),
    unit: z
      .enum(["client", "therapist"])
      .default("client")
      .describe("A point per client (enrolment episode), or per therapist (the means of their clients)."),
  }),
  // A point per client by default: client-level rows, even without the client's id.
  audit: { action: "client-rows.export" },
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    const outcome =
      query.outcome === "retained90"
        ? ({ kind: "retained", days: 90 } as const)
        : query.outcome === "sessionsAttended"
          ? ({ kind: "sessionsAttended" } as const)
          : ({ kind: "readinessChange" } as const);
    return fidelityOutcomeAssociation(context.db, {
      filter: episodeFilter(scope),
      fidelity: query.measure,
      outcome,
      unit: query.unit,
      asOf: context.now(),
    });
  },
  table: (association) => ({
    columns: ["therapist_id", "fidelity", "outcome", "baseline_readiness"],
    rows: association.points.map((point) => [point.therapistId, point.x, point.y, point.baseline]),
  }),
});

function survivalTable(
  groups: readonly { readonly name: string; readonly group: RetentionGroup["survival"] }[],
): Table {
  return {
    columns: ["group", "day", "at_risk", "dropouts", "censored", "retained", "lower", "upper"],
    rows: groups.flatMap(({ name, group }) =>
      group.points.map((point): Cell[] => [
        name,
        point.time,
        point.atRisk,
        point.events,
        point.censored,
        point.survival,
        point.lower,
        point.upper,
      ]),
    ),
  };
}

export const retentionEndpoint = endpoint({
  path: "/retention",
  summary: "Retention by fidelity tier",
  description:
    "Kaplan-Meier time to dropout by the fidelity tier of the client's coded sessions (below fair, fair, good; on Technical and Relational, or one of them), with 95% bands, censoring (still in care, completed, re-enrolled), retention at 30/60/90 days and the log-rank test across tiers. CSV: the curves' steps.",
  capability: "aggregates",
  query: filterSchema.extend({
    tierBy: z
      .enum(["both", "technical", "relational"])
      .default("both")
      .describe("Which mean score sets a client's tier."),
  }),
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    return retentionByFidelityTier(context.db, {
      filter: episodeFilter(scope),
      tierBy: query.tierBy,
      asOf: context.now(),
    });
  },
  table: (retention) =>
    survivalTable(
      [retention.overall, ...retention.groups].map((group) => ({ name: group.group, group: group.survival })),
    ),
});

/** A cohort as the URL holds it: `c1.name=…&c1.programme=…&c2.…`. */
const cohortSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(60, "must be at most 60 characters"),
  programme: id("a programme").optional(),
  therapist: id("a therapist").optional(),
  from: filterSchema.shape.from,
  to: filterSchema.shape.to,
  referral: z.string().max(64).optional(),
  focus: z.string().max(64).optional(),
  tag: z.string().max(64).optional(),
});
export type CohortParams = z.infer<typeof cohortSchema>;
export const MAX_COHORTS = 6;

export const cohortQuerySchema = z
  .object({
    fidelity: measureParam,
    days: z.coerce.number().int().min(1).max(730).default(90).describe("The retention milestone compared, in days."),
  })
  .catchall(z.string());

/** The cohorts of a query string, in order: c1 is the reference. */
export function cohortsOf(params: Readonly<Record<string, string>>): CohortParams[] {
  const grouped = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(params)) {
    const match = /^c(\d)\.(\w+)$/.exec(key);
    if (match === null || value === "") continue;
    const index = Number(match[1]);
    grouped.set(index, { ...grouped.get(index), [match[2] as string]: value });
  }
  const indices = [...grouped.keys()].sort((a, b) => a - b);
  if (indices.length < 2 || indices.length > MAX_COHORTS) {
    throw new ProblemError("invalid-query", `Compare 2 to ${MAX_COHORTS} cohorts, given as c1.name, c2.name, …`, {
      errors: [{ field: "c1.name", reason: `between 2 and ${MAX_COHORTS} cohorts are needed (got ${indices.length})` }],
    });
  }
  const parsed = indices.map((index) => ({ index, result: cohortSchema.safeParse(grouped.get(index)) }));
  const errors = parsed.flatMap(({ index, result }) =>
    result.success ? [] : fieldErrors(result.error).map((error) => ({ ...error, field: `c${index}.${error.field}` })),
  );
  if (errors.length > 0) {
    throw new ProblemError("invalid-query", `${errors.map((error) => `${error.field} ${error.reason}`).join("; ")}.`, {
      errors,
    });
  }
  return parsed.flatMap(({ result }) => (result.success ? [result.data] : []));
}

export const cohortsEndpoint = endpoint({
  path: "/cohorts/compare",
  summary: "Compare cohorts of clients",
  description:
    "Two to six cohorts, each a set of filters given as c<i>.name, c<i>.programme, c<i>.therapist, c<i>.from, c<i>.to (enrolment period), c<i>.referral, c<i>.focus, c<i>.tag; c1 is the reference. Per cohort: fidelity (client mean, shares meeting fair/good), readiness change, retention at `days`, sessions attended and the Kaplan-Meier curve; against the reference: Welch t, Newcombe difference in proportions, Mann-Whitney U and log-rank tests with effect sizes (Hedges' g, Cohen's h, rank-biserial r). Overlapping cohorts are flagged. CSV: the tests.",
  capability: "aggregates",
  query: cohortQuerySchema,
  load: async (context, query): Promise<CohortComparison> => {
    const cohorts = cohortsOf(query as Record<string, string>).map((cohort) => {
      const scope = resolveScope(context.principal, {
        ...(cohort.programme === undefined ? {} : { programme: cohort.programme }),
        ...(cohort.therapist === undefined ? {} : { therapist: cohort.therapist }),
        ...(cohort.from === undefined ? {} : { from: cohort.from }),
        ...(cohort.to === undefined ? {} : { to: cohort.to }),
      });
      const filter: EpisodeFilter = {
        ...episodeFilter(scope),
        ...(cohort.referral === undefined ? {} : { referralSources: [cohort.referral] }),
        ...(cohort.focus === undefined ? {} : { focuses: [cohort.focus] }),
        ...(cohort.tag === undefined ? {} : { tags: [cohort.tag] }),
      };
      return { name: cohort.name, filter };
    });
    if (new Set(cohorts.map((cohort) => cohort.name)).size !== cohorts.length) {
      throw new ProblemError("invalid-query", "Each cohort needs its own name.", {
        errors: [{ field: "c2.name", reason: "repeats another cohort's name" }],
      });
    }
    return compareCohorts(context.db, {
      cohorts,
      fidelity: query.fidelity,
      retentionDays: query.days,
      asOf: context.now(),
    });
  },
  table: (comparison) => ({
    columns: [
      "metric",
      "cohort",
      "reference",
      "test",
      "difference",
      "lower",
      "upper",
      "p_value",
      "effect_size",
      "effect_size_value",
    ],
    rows: comparison.tests.map((test) => [
      test.metric,
      test.cohort,
      test.reference,
      test.test,
      test.difference,
      test.lower,
      test.upper,
      test.pValue,
      test.effectSize?.name,
      test.effectSize?.value,
    ]),
  }),
});
