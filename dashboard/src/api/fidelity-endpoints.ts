import {
  annotationsFor,
  type FidelityGroup,
  fidelityByGroup,
  fidelitySeries,
  type Mean,
  programmeDirectory,
  programmeNames,
  type QiSeries,
  qiSeriesOf,
  readinessChange,
  readinessChangeByProgramme,
  retentionMilestonesByProgramme,
  type ScoreSummaries,
  SESSION_ORDERS,
  type Share,
  SUMMARY_SCORES,
  sessionFidelity,
} from "@evoke/analytics";
import { z } from "zod";
import type { Cell } from "../http/csv.ts";
import { notFound } from "../http/problems.ts";
import { endpoint, type RequestContext } from "./endpoint.ts";
import { episodeFilter, filterParams, filterSchema, resolveScope, type Scope, sessionScope } from "./params.ts";

/*
 * Programme-level fidelity: the programme list, the overview (per programme: sessions coded,
 * shares at fair and good, retention, readiness change, trend, QI signals), fidelity per
 * therapist and over time, and the sessions behind them.
 */

const scoreParam = z
  .enum(SUMMARY_SCORES)
  .default("technical")
  .describe("The MITI summary score: technical, relational, percentComplexReflections or reflectionToQuestion.");

export interface ProgrammeOverview {
  readonly programmeId: string;
  readonly name: string | null;
  readonly sessionsCoded: number;
  readonly humanRated: number;
  /** Client episodes enrolled (as of `asOf`), and the sessions they attended in all. */
  readonly clients: number;
  readonly sessionsAttended: number;
  readonly scores: ScoreSummaries | null;
  /** Retention at each milestone (30/60/90 days), among episodes observable that long. */
  readonly retention: readonly { readonly days: number; readonly retained: Share }[];
  readonly readinessChange: Mean | null;
}

export interface Overview {
  readonly asOf: string;
  readonly programmes: readonly ProgrammeOverview[];
  /** Monthly fidelity across the scope. */
  readonly trend: readonly FidelityGroup[];
  /** The QI charts behind the signals: monthly Technical and Relational (XmR). */
  readonly series: { readonly technical: QiSeries; readonly relational: QiSeries };
}

async function overviewOf(context: RequestContext, scope: Scope): Promise<Overview> {
  const { db } = context;
  const asOf = context.now();
  const sessions = sessionScope(scope);
  const episodes = episodeFilter(scope);
  const [directory, fidelity, retention, readiness, trend] = await Promise.all([
    programmeNames(db, scope.programmeIds),
    fidelityByGroup(db, { by: "programme", scope: sessions }),
    retentionMilestonesByProgramme(db, { filter: episodes, asOf }),
    readinessChangeByProgramme(db, { filter: episodes }),
    fidelityByGroup(db, { by: "month", scope: sessions }),
  ]);
  // The QI charts from the same monthly groups as the trend: one pass over the sessions.
  const monthly = (score: "technical" | "relational") =>
    qiSeriesOf(
      trend
        .filter((group) => group.scores[score].mean.mean !== null)
        .map((group) => ({
          period: group.key,
          sessions: group.scores[score].mean.n,
          mean: group.scores[score].mean.mean as number,
          meeting: 0,
        })),
      { interval: "month", measure: { kind: "mean", score } },
    );
  const technical = monthly("technical");
  const relational = monthly("relational");
  return {
    asOf: asOf.toISOString(),
    programmes: directory.map((programme) => {
      const coded = fidelity.find((group) => group.key === programme.programmeId);
      const outcomes = retention.find((group) => group.group === programme.programmeId);
      const attended = outcomes?.sessionsAttended;
      return {
        programmeId: programme.programmeId,
        name: programme.name,
        sessionsCoded: coded?.sessions ?? 0,
        humanRated: coded?.humanRated ?? 0,
        clients: outcomes?.episodes ?? 0,
        // The mean of whole numbers times their count: a whole number, give or take float rounding.
        sessionsAttended: attended?.mean == null ? 0 : Math.round(attended.mean * attended.n),
        scores: coded?.scores ?? null,
        retention: outcomes?.milestones ?? [],
        readinessChange: readiness.find((row) => row.programmeId === programme.programmeId)?.change ?? null,
      };
    }),
    trend,
    series: { technical, relational },
  };
}

const OVERVIEW_COLUMNS = [
  "programme_id",
  "programme",
  "sessions_coded",
  "human_rated",
  "clients",
  "sessions_attended",
  ...SUMMARY_SCORES.flatMap((score) => [
    `${score}_mean`,
    `${score}_fair_share`,
    `${score}_fair_lower`,
    `${score}_fair_upper`,
    `${score}_good_share`,
    `${score}_good_lower`,
    `${score}_good_upper`,
  ]),
  "retained_30_share",
  "retained_60_share",
  "retained_90_share",
  "retained_90_lower",
  "retained_90_upper",
  "retained_90_of",
  "readiness_change_mean",
  "readiness_change_lower",
  "readiness_change_upper",
  "readiness_change_n",
];

function overviewRow(programme: ProgrammeOverview): Cell[] {
  const at = (days: number) => programme.retention.find((milestone) => milestone.days === days)?.retained;
  return [
    programme.programmeId,
    programme.name,
    programme.sessionsCoded,
    programme.humanRated,
    programme.clients,
    programme.sessionsAttended,
    ...SUMMARY_SCORES.flatMap((score) => {
      const summary = programme.scores?.[score];
      return [
        summary?.mean.mean,
        summary?.fair.share,
        summary?.fair.lower,
        summary?.fair.upper,
        summary?.good.share,
        summary?.good.lower,
        summary?.good.upper,
      ];
    }),
    at(30)?.share,
    at(60)?.share,
    at(90)?.share,
    at(90)?.lower,
    at(90)?.upper,
    at(90)?.of,
    programme.readinessChange?.mean,
    programme.readinessChange?.lower,
    programme.readinessChange?.upper,
    programme.readinessChange?.n,
  ];
}

export const programmesEndpoint = endpoint({
  path: "/programmes",
  summary: "The programmes your token sees",
  description:
    "Each programme with its therapists, enrolment episodes, sessions coded and how many count a human rating.",
  capability: "aggregates",
  query: z.object({}),
  load: (context) => programmeDirectory(context.db, context.principal.programmeIds),
  table: (programmes) => ({
    columns: ["programme_id", "name", "therapists", "episodes", "sessions_coded", "human_rated"],
    rows: programmes.map((p) => [p.programmeId, p.name, p.therapists, p.episodes, p.sessionsCoded, p.humanRated]),
  }),
});

export const overviewEndpoint = endpoint({
  path: "/overview",
  summary: "Fidelity, retention and readiness per programme",
  description:
    "Per programme in scope: sessions coded (automatic and human), the share of sessions at fair and good on each MITI summary score (Wilson 95% intervals), retention at 30/60/90 days, mean readiness change (t 95% interval); with the monthly trend and QI signals across the scope.",
  capability: "aggregates",
  query: filterSchema,
  load: (context, filters) => overviewOf(context, resolveScope(context.principal, filters)),
  table: (overview) => ({ columns: OVERVIEW_COLUMNS, rows: overview.programmes.map(overviewRow) }),
});

export const programmeSummaryEndpoint = endpoint({
  path: "/programmes/:programmeId/summary",
  summary: "One programme's summary",
  description:
    "The overview of one programme over a period (sessions in the period; clients enrolled in the period): fidelity shares with intervals, retention at 30/60/90 days, readiness change, monthly trend and QI signals.",
  capability: "aggregates",
  pathParams: { programmeId: "The programme's id." },
  query: z.object({ from: filterParams.from, to: filterParams.to }),
  load: async (context, query, params) => {
    const programmeId = params.programmeId ?? "";
    const scope = resolveScope(context.principal, { ...query, programme: programmeId });
    const overview = await overviewOf(context, scope);
    const programme = overview.programmes[0];
    if (programme === undefined) throw notFound(`Programme "${programmeId}"`);
    return { asOf: overview.asOf, ...programme, trend: overview.trend, series: overview.series };
  },
  table: (summary) => ({ columns: OVERVIEW_COLUMNS, rows: [overviewRow(summary)] }),
});

function fidelityTable(groups: readonly FidelityGroup[], keyName: string) {
  return {
    columns: [
      keyName,
      "label",
      "sessions",
      "human_rated",
      ...SUMMARY_SCORES.flatMap((score) => [
        `${score}_n`,
        `${score}_mean`,
        `${score}_mean_lower`,
        `${score}_mean_upper`,
        `${score}_fair_share`,
        `${score}_good_share`,
        `${score}_good_lower`,
        `${score}_good_upper`,
      ]),
    ],
    rows: groups.map((group) => [
      group.key,
      group.label,
      group.sessions,
      group.humanRated,
      ...SUMMARY_SCORES.flatMap((score) => {
        const summary = group.scores[score];
        return [
          summary.mean.n,
          summary.mean.mean,
          summary.mean.lower,
          summary.mean.upper,
          summary.fair.share,
          summary.good.share,
          summary.good.lower,
          summary.good.upper,
        ];
      }),
    ]),
  };
}

export const fidelityEndpoint = endpoint({
  path: "/fidelity",
  summary: "Fidelity per therapist, programme or period",
  description:
    "MITI summary scores of the coded sessions in scope, grouped: mean with t 95% interval and the share at fair and good (Wilson 95%). A session's fidelity is its human rating where there is one, else its latest automatic coding.",
  capability: "aggregates",
  query: filterSchema.extend({
    by: z
      .enum(["therapist", "programme", "week", "month", "quarter", "all"])
      .default("therapist")
      .describe("How to group the sessions."),
  }),
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    return fidelityByGroup(context.db, { by: query.by, scope: sessionScope(scope) });
  },
  table: (groups) => fidelityTable(groups, "group"),
});

export const qiSeriesEndpoint = endpoint({
  path: "/qi-series",
  summary: "Fidelity over time as a QI chart",
  description:
    "A run chart (median, runs rules), XmR chart (mean, natural process limits) or P chart (share of sessions at a level, per-period limits; Laney P′ with laney=true) of one MITI score, weekly or monthly, with the special-cause signals, and the annotations pinned in that period.",
  capability: "aggregates",
  query: filterSchema.extend({
    score: scoreParam,
    chart: z.enum(["xmr", "run", "p"]).default("xmr").describe("xmr (mean), run (mean) or p (share at a level)."),
    level: z.enum(["fair", "good"]).default("good").describe("P chart: the share of sessions at this level or above."),
    interval: z.enum(["week", "month"]).default("month"),
    laney: z.enum(["true", "false"]).default("false").describe("P chart: Laney's P′ limits for large samples."),
  }),
  load: async (context, query) => {
    const scope = resolveScope(context.principal, query);
    const measure =
      query.chart === "p"
        ? ({ kind: "share", score: query.score, level: query.level } as const)
        : ({ kind: "mean", score: query.score } as const);
    const [series, annotations] = await Promise.all([
      fidelitySeries(context.db, {
        scope: sessionScope(scope),
        interval: query.interval,
        measure,
        chart: query.chart,
        laney: query.laney === "true",
      }),
      annotationsFor(context.db, {
        programmeIds: scope.programmeIds,
        ...(scope.from === undefined ? {} : { from: scope.from }),
        ...(scope.before === undefined ? {} : { before: scope.before }),
      }),
    ]);
    return { ...series, annotations };
  },
  table: (series) => ({
    columns: ["period", "sessions", "value", "centre", "lower_limit", "upper_limit", "signals"],
    rows: series.points.map((point) => [
      point.period,
      point.sessions,
      point.value,
      series.centre,
      point.lower,
      point.upper,
      point.signals.join(" "),
    ]),
  }),
});

export const sessionsEndpoint = endpoint({
  path: "/sessions",
  summary: "Coded sessions, most recent first",
  description:
    "The coded sessions in scope with their four MITI summary scores and verdicts against the thresholds, a page at a time.",
  capability: "aggregates",
  query: filterSchema.extend({
    limit: z.coerce.number().int().min(1).max(1000).default(50).describe("Sessions per page (1-1000)."),
    offset: z.coerce.number().int().min(0).default(0),
    sort: z
      .enum(SESSION_ORDERS)
      .default("time")
      .describe(
        "Order by: time (default), therapist (by name), client, kind (automatic or human), or a summary score. Sessions without a value come last.",
      ),
    order: z
      .enum(["asc", "desc"])
      .optional()
      .describe("Direction: asc or desc (default: desc for time, asc otherwise)."),
  }),
  audit: { action: "client-rows.export" },
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    return sessionFidelity(context.db, {
      scope: sessionScope(scope),
      orderBy: query.sort,
      ...(query.order === undefined ? {} : { direction: query.order }),
      limit: query.limit,
      offset: query.offset,
    });
  },
  table: (page) => ({
    columns: [
      "session_id",
      "session_time",
      "programme_id",
      "therapist_id",
      "client_id",
      "kind",
      ...SUMMARY_SCORES.flatMap((score) => [score, `${score}_verdict`]),
    ],
    rows: page.sessions.map((session) => [
      session.sessionId,
      session.sessionTime,
      session.programmeId,
      session.therapistId,
      session.clientId,
      session.kind,
      ...SUMMARY_SCORES.flatMap((score) => [session[score], session.verdicts[score]]),
    ]),
  }),
});

export const readinessEndpoint = endpoint({
  path: "/readiness",
  summary: "Readiness change per client",
  description:
    "Readiness ruler change (latest − first measurement) per enrolment episode in scope, with the summary (mean with 95% interval, shares improved/unchanged/worsened).",
  capability: "aggregates",
  query: filterSchema.extend({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  audit: { action: "client-rows.export" },
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    return readinessChange(context.db, { filter: episodeFilter(scope), limit: query.limit, offset: query.offset });
  },
  table: (result) => ({
    columns: [
      "client_id",
      "programme_id",
      "enrolled_at",
      "first",
      "latest",
      "change",
      "measurements",
      "coded_sessions",
      "technical_mean",
      "relational_mean",
    ],
    rows: result.clients.map((client) => [
      client.clientId,
      client.programmeId,
      client.enrolledAt,
      client.first,
      client.latest,
      client.change,
      client.measurements,
      client.codedSessions,
      client.technicalMean,
      client.relationalMean,
    ]),
  }),
});
