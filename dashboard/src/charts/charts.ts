import {
  type Annotation,
  type Association,
  DEFAULT_THRESHOLDS,
  type FidelityGroup,
  type QiSeries,
  type ScoreSummaries,
  SUMMARY_SCORES,
  type SummaryScore,
} from "@evoke/analytics";
import type { KaplanMeierCurve } from "@evoke/statistics";
import { decimal, percent } from "./format.ts";
import { PALETTE, Plot, renderChart, TIER_COLOURS } from "./render.ts";

/*
 * The dashboard's charts, one function each, from the analytics' plain data to SVG. Every chart
 * has a title (in its panel), axis labels with units, tooltips, and colours from a
 * colour-blind-safe palette doubled by shape or dash where colour carries meaning.
 */

export const SCORE_NAMES: Record<SummaryScore, string> = {
  technical: "Technical",
  relational: "Relational",
  percentComplexReflections: "%CR",
  reflectionToQuestion: "R:Q",
};

/** The thresholds in the units the scores are stored in (%CR as a percentage). */
export function thresholdOf(score: SummaryScore): { fair: number; good: number } {
  const threshold = DEFAULT_THRESHOLDS[score];
  return score === "percentComplexReflections" ? { fair: 100 * threshold.fair, good: 100 * threshold.good } : threshold;
}

/** Share of sessions at fair and at good on each score, with Wilson 95% intervals. */
export function sharesChart(scores: ScoreSummaries, description: string): string {
  const rows = SUMMARY_SCORES.flatMap((score) =>
    (["fair", "good"] as const).map((level) => ({
      label: `${SCORE_NAMES[score]} · ${level}`,
      level,
      share: scores[score][level].share,
      lower: scores[score][level].lower,
      upper: scores[score][level].upper,
      n: scores[score][level].of,
    })),
  ).filter((row) => row.share !== null);
  // Drawn at about the width of an Overview card (a third of a wide screen), so its text is
  // shown near its real size instead of shrunk to fit.
  return renderChart({
    description,
    width: 440,
    height: 300,
    marginLeft: 118,
    marginRight: 16,
    x: { domain: [0, 100], percent: true, label: "Sessions at or above threshold (%) →", grid: true, ticks: 5 },
    y: { label: null, domain: rows.map((row) => row.label) },
    color: { domain: ["fair", "good"], range: [PALETTE[1] as string, PALETTE[0] as string] },
    marks: [
      Plot.ruleY(rows, { x1: "lower", x2: "upper", y: "label", stroke: "level", strokeWidth: 2 }),
      Plot.dot(rows, {
        x: "share",
        y: "label",
        fill: "level",
        symbol: "level",
        r: 5,
        title: (row: (typeof rows)[number]) =>
          `${row.label}: ${percent(row.share)} of ${row.n} sessions (95% CI ${percent(row.lower)}–${percent(row.upper)})`,
      }),
    ],
  });
}

/** Monthly mean Technical and Relational with 95% intervals, against the fair and good thresholds. */
export function trendChart(trend: readonly FidelityGroup[], description: string): string {
  const rows = trend
    .flatMap((group) =>
      (["technical", "relational"] as const).map((score) => ({
        month: new Date(`${group.key}T00:00:00Z`),
        score: SCORE_NAMES[score],
        mean: group.scores[score].mean.mean,
        lower: group.scores[score].mean.lower,
        upper: group.scores[score].mean.upper,
        n: group.scores[score].mean.n,
      })),
    )
    .filter((row) => row.mean !== null);
  const fair = DEFAULT_THRESHOLDS.technical.fair;
  const good = DEFAULT_THRESHOLDS.technical.good;
  return renderChart({
    description,
    height: 260,
    x: { type: "utc", label: "Month of session →" },
    y: { domain: [1, 5], label: "↑ Mean global score (1–5)", grid: true },
    color: { domain: ["Technical", "Relational"], range: [PALETTE[0] as string, PALETTE[1] as string], legend: false },
    marks: [
      Plot.ruleY([fair], { stroke: "#777", strokeDasharray: "4,3" }),
      Plot.ruleY([good], { stroke: "#333", strokeDasharray: "2,2" }),
      Plot.text(
        [
          { y: fair, label: `Technical fair ${fair}` },
          { y: good, label: `Technical good ${good}` },
        ],
        // At the right end, clear of the early months' wide intervals.
        {
          y: "y",
          text: "label",
          frameAnchor: "right",
          textAnchor: "end",
          dy: -6,
          fill: "#444",
        },
      ),
      Plot.areaY(rows, { x: "month", y1: "lower", y2: "upper", fill: "score", fillOpacity: 0.15 }),
      Plot.lineY(
        rows.filter((row) => row.score === "Technical"),
        { x: "month", y: "mean", stroke: "score" },
      ),
      Plot.lineY(
        rows.filter((row) => row.score === "Relational"),
        { x: "month", y: "mean", stroke: "score", strokeDasharray: "6,3" },
      ),
      Plot.dot(rows, {
        x: "month",
        y: "mean",
        fill: "score",
        symbol: "score",
        title: (row: (typeof rows)[number]) =>
          `${row.score}, ${row.month.toISOString().slice(0, 7)}: ${decimal(row.mean)} (95% CI ${decimal(row.lower)}–${decimal(row.upper)}; ${row.n} sessions)`,
      }),
    ],
  });
}

/** Per-client fidelity against an outcome, with the fitted line and its 95% confidence band. */
export function associationChart(
  association: Association,
  labels: { readonly x: string; readonly y: string },
  description: string,
): string {
  const band = association.fit?.band ?? [];
  // Nice, inset domains: a client at the lowest or highest score sits inside the frame, not on its edge.
  return renderChart({
    description,
    x: { label: `${labels.x} →`, grid: true, nice: true, inset: 10 },
    y: { label: `↑ ${labels.y}`, grid: true, nice: true, inset: 10 },
    marks: [
      Plot.dot(association.points, {
        x: "x",
        y: "y",
        r: association.unit === "therapist" ? 5 : 3,
        // Dark grey dots stand out from the white ground (light blue ones did not) and from the blue fit.
        fill: "#3b4550",
        fillOpacity: association.unit === "therapist" ? 0.85 : 0.55,
        title: (point: Association["points"][number]) =>
          `${point.therapistId ? `${point.therapistId}: ` : ""}${labels.x} ${decimal(point.x)}, ${labels.y} ${decimal(point.y)}`,
      }),
      Plot.areaY(band, { x: "x", y1: "lower", y2: "upper", fill: PALETTE[0], fillOpacity: 0.2 }),
      Plot.lineY(band, {
        x: "x",
        y: "fit",
        stroke: PALETTE[0],
        strokeWidth: 2.5,
        title: (point: (typeof band)[number]) =>
          `Fitted ${decimal(point.fit)} (95% CI ${decimal(point.lower)} to ${decimal(point.upper)}) at ${decimal(point.x)}`,
      }),
    ],
  });
}

/** At most this many censoring marks per curve: beyond it they merge into a bar and only cost bytes. */
const MAX_CENSOR_MARKS = 120;

/** At most `count` items, evenly spaced, first and last kept. */
function evenSample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))] as T);
}

export interface NamedCurve {
  readonly name: string;
  readonly curve: KaplanMeierCurve;
}

/**
 * Kaplan-Meier curves (steps) with 95% bands and + marks where clients were censored (still in
 * care, completed or re-enrolled: retention unknown beyond that day).
 */
export function survivalChart(
  curves: readonly NamedCurve[],
  description: string,
  colours?: Record<string, string>,
): string {
  const steps = curves.flatMap(({ name, curve }) => [
    { name, time: 0, survival: 1, lower: 1, upper: 1, atRisk: curve.points[0]?.atRisk ?? 0, censored: 0 },
    ...curve.points.map((point) => ({ name, ...point })),
  ]);
  const censored = curves.flatMap(({ name }) =>
    evenSample(
      steps.filter((step) => step.name === name && step.censored > 0),
      MAX_CENSOR_MARKS,
    ),
  );
  const domain = curves.map((curve) => curve.name);
  const range = domain.map((name, i) => colours?.[name] ?? (PALETTE[i % PALETTE.length] as string));
  return renderChart({
    description,
    x: { label: "Days since enrolment →", grid: true },
    y: { domain: [0, 100], percent: true, label: "↑ Still in treatment (%)", grid: true },
    color: { domain, range, legend: false },
    marks: [
      Plot.ruleX([30, 60, 90], { stroke: "#bbb", strokeDasharray: "3,3" }),
      Plot.areaY(steps, { x: "time", y1: "lower", y2: "upper", fill: "name", fillOpacity: 0.12, curve: "step-after" }),
      Plot.lineY(steps, { x: "time", y: "survival", stroke: "name", strokeWidth: 2, curve: "step-after" }),
      Plot.dot(censored, {
        x: "time",
        y: "survival",
        stroke: "name",
        symbol: "plus",
        r: 3.5,
        title: (step: (typeof censored)[number]) =>
          `${step.name}: ${step.censored} censored on day ${decimal(step.time, 0)} (retention ${percent(step.survival)})`,
      }),
    ],
  });
}

/** A QI chart: points, centre line, limits, special-cause points marked, annotations as rules. */
export function qiChart(
  series: QiSeries,
  annotations: readonly Annotation[],
  label: string,
  description: string,
): string {
  const points = series.points.map((point) => ({ ...point, date: new Date(`${point.period}T00:00:00Z`) }));
  const special = points.filter((point) => point.signals.length > 0);
  const share = series.measure.kind === "share";
  const notes = annotations.map((note) => ({ ...note, date: new Date(`${note.day}T00:00:00Z`) }));
  const limits = points.filter((point) => point.lower !== undefined && point.upper !== undefined);
  return renderChart({
    description,
    x: { type: "utc", label: `${series.interval === "week" ? "Week" : "Month"} of session →` },
    y: { label: `↑ ${label}`, grid: true, ...(share ? { percent: true } : {}) },
    marks: [
      Plot.ruleY([series.centre], { stroke: "#333", title: () => `Centre line ${decimal(series.centre, 3)}` }),
      Plot.lineY(limits, { x: "date", y: "upper", stroke: "#999", strokeDasharray: "5,4", curve: "step" }),
      Plot.lineY(limits, { x: "date", y: "lower", stroke: "#999", strokeDasharray: "5,4", curve: "step" }),
      Plot.ruleX(notes, { x: "date", stroke: PALETTE[3], strokeWidth: 1.5 }),
      Plot.text(notes, {
        x: "date",
        text: "label",
        frameAnchor: "top",
        dy: 4,
        dx: 4,
        textAnchor: "start",
        fill: "#6b3a5a",
      }),
      Plot.lineY(points, { x: "date", y: "value", stroke: PALETTE[0] }),
      Plot.dot(points, {
        x: "date",
        y: "value",
        fill: PALETTE[0],
        r: 3.5,
        title: (point: (typeof points)[number]) =>
          `${point.period}: ${share ? percent(point.value, 1) : decimal(point.value)} over ${point.sessions} sessions`,
      }),
      Plot.dot(special, {
        x: "date",
        y: "value",
        fill: PALETTE[5],
        symbol: "diamond",
        r: 6,
        title: (point: (typeof special)[number]) => `${point.period}: special cause (${point.signals.join(", ")})`,
      }),
    ],
  });
}

/** Each therapist's mean score with its 95% interval, against the fair and good thresholds. */
export const MAX_THERAPIST_ROWS = 40;

export function therapistChart(groups: readonly FidelityGroup[], score: SummaryScore, description: string): string {
  const sorted = groups
    .map((group) => ({
      therapist: group.label ?? group.key,
      mean: group.scores[score].mean.mean,
      lower: group.scores[score].mean.lower,
      upper: group.scores[score].mean.upper,
      n: group.scores[score].mean.n,
    }))
    .filter((row) => row.mean !== null)
    .sort((a, b) => (b.mean ?? 0) - (a.mean ?? 0));
  // A thousand therapists do not fit one chart: the highest and lowest, the rest in the table.
  const rows =
    sorted.length <= MAX_THERAPIST_ROWS
      ? sorted
      : [...sorted.slice(0, MAX_THERAPIST_ROWS / 2), ...sorted.slice(-MAX_THERAPIST_ROWS / 2)];
  const threshold = thresholdOf(score);
  return renderChart({
    description,
    height: Math.max(160, 26 * rows.length + 50),
    marginLeft: 150,
    x: { label: `Mean ${SCORE_NAMES[score]} →`, grid: true },
    y: { label: null, domain: rows.map((row) => row.therapist) },
    marks: [
      Plot.ruleX([threshold.fair], { stroke: PALETTE[1], strokeDasharray: "4,3" }),
      Plot.ruleX([threshold.good], { stroke: PALETTE[0], strokeDasharray: "2,2" }),
      Plot.ruleY(rows, { x1: "lower", x2: "upper", y: "therapist", stroke: "#555" }),
      Plot.dot(rows, {
        x: "mean",
        y: "therapist",
        fill: (row: (typeof rows)[number]) =>
          (row.mean ?? 0) >= threshold.good ? "good" : (row.mean ?? 0) >= threshold.fair ? "fair" : "below fair",
        symbol: (row: (typeof rows)[number]) =>
          (row.mean ?? 0) >= threshold.good ? "good" : (row.mean ?? 0) >= threshold.fair ? "fair" : "below fair",
        r: 5,
        title: (row: (typeof rows)[number]) =>
          `${row.therapist}: ${decimal(row.mean)} (95% CI ${decimal(row.lower)}–${decimal(row.upper)}; ${row.n} sessions)`,
      }),
    ],
    color: {
      domain: ["below fair", "fair", "good"],
      range: [TIER_COLOURS["below fair"], TIER_COLOURS.fair, TIER_COLOURS.good],
    },
    symbol: { domain: ["below fair", "fair", "good"], range: ["triangle", "square", "circle"] },
  });
}

/** One session's score against the fair and good thresholds (a small bullet chart). */
export function scoreBullet(score: SummaryScore, value: number | null, description: string): string {
  const threshold = thresholdOf(score);
  const max =
    score === "percentComplexReflections"
      ? 100
      : score === "reflectionToQuestion"
        ? Math.max(3, (value ?? 0) * 1.1)
        : 5;
  const min = score === "technical" || score === "relational" ? 1 : 0;
  return renderChart({
    description,
    width: 320,
    height: 70,
    marginLeft: 20,
    marginRight: 20,
    x: { domain: [min, max], label: SCORE_NAMES[score] },
    marks: [
      Plot.barX([{ x1: min, x2: threshold.fair }], { x1: "x1", x2: "x2", fill: "#eee" }),
      Plot.barX([{ x1: threshold.fair, x2: threshold.good }], { x1: "x1", x2: "x2", fill: "#ddd" }),
      Plot.barX([{ x1: threshold.good, x2: max }], { x1: "x1", x2: "x2", fill: "#ccc" }),
      ...(value === null
        ? []
        : [
            Plot.tickX([value], {
              x: (v: number) => v,
              stroke: PALETTE[0],
              strokeWidth: 4,
              title: () => `${SCORE_NAMES[score]} ${decimal(value)} (fair ${threshold.fair}, good ${threshold.good})`,
            }),
          ]),
    ],
  });
}

/** Horizontal bars with a label each (consumer lag, dead-letter reasons). */
export function barChart(
  rows: readonly { readonly label: string; readonly value: number }[],
  xLabel: string,
  description: string,
): string {
  return renderChart({
    description,
    height: Math.max(120, 24 * rows.length + 50),
    marginLeft: 220,
    x: { label: `${xLabel} →`, grid: true },
    y: { label: null, domain: rows.map((row) => row.label) },
    marks: [
      Plot.barX(rows, {
        x: "value",
        y: "label",
        fill: PALETTE[0],
        title: (row: (typeof rows)[number]) => `${row.label}: ${row.value}`,
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** Counts over time, one line per series (events recorded per hour by type). */
export function countsOverTime(
  rows: readonly { readonly time: Date; readonly series: string; readonly count: number }[],
  yLabel: string,
  description: string,
): string {
  return renderChart({
    description,
    x: { type: "utc", label: "Hour (UTC) →" },
    y: { label: `↑ ${yLabel}`, grid: true },
    color: { range: PALETTE, legend: false },
    marks: [
      // z named outright: with few hours of data each series has a point or two, which Plot
      // would otherwise take for a quantitative colour and warn about.
      Plot.lineY(rows, { x: "time", y: "count", stroke: "series", z: "series" }),
      Plot.dot(rows, {
        x: "time",
        y: "count",
        fill: "series",
        r: 2,
        title: (row: (typeof rows)[number]) => `${row.series}, ${row.time.toISOString().slice(0, 13)}h: ${row.count}`,
      }),
    ],
  });
}

/** A mean or share per cohort with its 95% interval. */
export function intervalsChart(
  rows: readonly {
    readonly label: string;
    readonly value: number | null;
    readonly lower: number | null;
    readonly upper: number | null;
  }[],
  xLabel: string,
  description: string,
  asPercent = false,
): string {
  const shown = rows.filter((row) => row.value !== null);
  // Room for the longest label (about 6.5 px a character at the page's chart font), within reason.
  const longest = Math.max(0, ...shown.map((row) => row.label.length));
  // A colour per row helps tell a few apart; past the palette's eight, repeated colours would mislead.
  const colours = shown.length <= PALETTE.length ? PALETTE : [PALETTE[0] as string];
  return renderChart({
    description,
    height: Math.max(120, 30 * shown.length + 50),
    marginLeft: Math.min(320, Math.max(150, Math.ceil(6.5 * longest) + 16)),
    x: { label: `${xLabel} →`, grid: true, ...(asPercent ? { percent: true } : {}) },
    y: { label: null, domain: shown.map((row) => row.label) },
    color: { domain: shown.map((row) => row.label), range: colours, legend: false },
    marks: [
      Plot.ruleY(shown, { x1: "lower", x2: "upper", y: "label", stroke: "label", strokeWidth: 2 }),
      Plot.dot(shown, {
        x: "value",
        y: "label",
        fill: "label",
        r: 5,
        title: (row: (typeof shown)[number]) =>
          `${row.label}: ${asPercent ? percent(row.value, 1) : decimal(row.value)} (95% CI ${asPercent ? percent(row.lower, 1) : decimal(row.lower)} to ${asPercent ? percent(row.upper, 1) : decimal(row.upper)})`,
      }),
    ],
  });
}

/** Cicchetti's (1994) bands for an ICC, lower bounds: what the agreement chart draws as rules. */
const ICC_BANDS = [
  { band: "fair", from: 0.4 },
  { band: "good", from: 0.6 },
  { band: "excellent", from: 0.75 },
] as const;

const ICC_BAND_STYLE = {
  domain: ["poor", "fair", "good", "excellent"],
  colours: [TIER_COLOURS["below fair"], TIER_COLOURS.fair, PALETTE[4] as string, PALETTE[0] as string],
  symbols: ["triangle", "square", "diamond", "circle"],
};

export interface IccRow {
  readonly label: string;
  readonly icc: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly band: string | null;
  readonly n: number;
}

/**
 * ICC per measure, dot and 95% interval, against Cicchetti's band boundaries (0.40 fair, 0.60
 * good, 0.75 excellent). Measures without an ICC (too few sessions, no variation) are left out;
 * the table view lists them.
 */
export function iccChart(rows: readonly IccRow[], description: string): string {
  const shown = rows.filter((row) => row.icc !== null);
  // From 0 or below: a sample ICC (and its interval) can fall under −1 when raters disagree
  // more than sessions vary, so the axis follows the data rather than stopping at −1.
  const lowest = Math.min(0, ...shown.flatMap((row) => [row.icc ?? 0, row.lower ?? 0]));
  return renderChart({
    description,
    height: Math.max(140, 24 * shown.length + 70),
    marginLeft: 210,
    marginTop: 30,
    x: { domain: [Math.floor(lowest * 10) / 10, 1], label: "ICC(2,1), absolute agreement →", grid: true },
    y: { label: null, domain: shown.map((row) => row.label) },
    color: { domain: ICC_BAND_STYLE.domain, range: ICC_BAND_STYLE.colours, legend: false },
    symbol: { domain: ICC_BAND_STYLE.domain, range: ICC_BAND_STYLE.symbols },
    marks: [
      Plot.ruleX(
        ICC_BANDS.map((band) => band.from),
        { stroke: "#777", strokeDasharray: "4,3" },
      ),
      // Each band's name just right of where it starts: bare names fit between 0.60 and 0.75
      // even when an interval stretches the axis to −1 (the notes give the boundaries).
      Plot.text(
        ICC_BANDS.map((band) => ({ x: band.from, label: band.band })),
        { x: "x", text: "label", frameAnchor: "top", textAnchor: "start", dx: 3, dy: -10, fill: "#555" },
      ),
      Plot.ruleY(shown, { x1: "lower", x2: "upper", y: "label", stroke: "#555", strokeWidth: 1.5 }),
      Plot.dot(shown, {
        x: "icc",
        y: "label",
        fill: "band",
        symbol: "band",
        r: 5,
        title: (row: (typeof shown)[number]) =>
          `${row.label}: ICC ${decimal(row.icc)}${row.lower === null ? "" : ` (95% CI ${decimal(row.lower)} to ${decimal(row.upper)})`}, ${row.band}; ${row.n} sessions`,
      }),
    ],
  });
}
