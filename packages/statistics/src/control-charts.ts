import { mean, median } from "./descriptive.ts";
import { binomialQuantile } from "./distributions.ts";
import { assertCounts, assertFiniteValues } from "./validation.ts";

/*
 * Quality-improvement charts for monthly clinic measures: the XmR (individuals) chart, the
 * P chart with its Laney P′ variant, and the run chart with Anhøj's rules. Signals flag
 * special-cause variation; their indices point into the series given.
 */

export type SignalRule = "beyond-limits" | "shift" | "trend" | "crossings";

export interface Signal {
  readonly rule: SignalRule;
  /** Indices of the points involved, ascending. */
  readonly indices: number[];
}

export interface XmrChart {
  readonly centre: number;
  readonly upperLimit: number;
  readonly lowerLimit: number;
  /** |xᵢ − xᵢ₋₁| for i = 1…n − 1: movingRanges[i − 1] belongs to point i. */
  readonly movingRanges: number[];
  readonly movingRangeCentre: number;
  readonly movingRangeUpperLimit: number;
  readonly signals: Signal[];
}

export interface PChartPoint {
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
}

export interface PChart {
  readonly centre: number;
  readonly points: PChartPoint[];
  /** Laney's between-point variation factor; only with `laney: true`. */
  readonly sigmaZ?: number;
  readonly signals: Signal[];
}

export interface RunChart {
  readonly median: number;
  readonly longestRun: number;
  readonly longestRunLimit: number;
  readonly crossings: number;
  readonly minimumCrossings: number;
  readonly signals: Signal[];
}

/** A shift: at least this many consecutive points on one side of the centre line. */
export const SHIFT_LENGTH = 8;
/** A trend: at least this many consecutive points, each above (or each below) the one before. */
export const TREND_LENGTH = 6;

// Bias-correction constants for moving ranges of two points (ASTM STP 15D; Montgomery,
// Introduction to Statistical Quality Control, appendix VI): d₂ estimates σ = MR̄/d₂, so the
// 3σ limits are x̄ ± (3/d₂)·MR̄ = x̄ ± 2.66·MR̄, and D₄ = 3.267 bounds the moving ranges.
const D2 = 1.128;
const NATURAL_PROCESS_LIMIT_FACTOR = 2.66;
const D4 = 3.267;

function indexRange(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Maximal stretches of consecutive positions with the same non-zero key (0 or NaN breaks a
 * stretch), as [first, last] index pairs.
 */
function stretches(keys: readonly number[]): [number, number][] {
  const found: [number, number][] = [];
  let start = -1;
  keys.forEach((key, i) => {
    const continues = start !== -1 && key === keys[i - 1];
    if (!continues && start !== -1) found.push([start, i - 1]);
    if (!continues) start = key === 1 || key === -1 ? i : -1;
  });
  if (start !== -1) found.push([start, keys.length - 1]);
  return found;
}

/**
 * Shewhart special-cause tests, in the order they are reported:
 * - "beyond-limits": one signal per point strictly above its upper or below its lower limit;
 * - "shift": one signal per run of ≥ 8 consecutive points strictly on one side of `centre`
 *   (Western Electric Statistical Quality Control Handbook, 1956, rule 4). A point exactly on
 *   the centre line is on neither side and ends the run;
 * - "trend": one signal per run of ≥ 6 consecutive points each strictly higher (or each
 *   strictly lower) than the one before, i.e. 5 successive rises or falls (Nelson 1984,
 *   test 3). Equal neighbours end the run.
 * `lower` and `upper` are one limit for all points or one per point. Non-finite values (e.g. a
 * P chart month with no cases) never breach a limit and break shifts and trends.
 */
export function specialCauses(
  values: readonly number[],
  centre: number,
  lower: readonly number[] | number,
  upper: readonly number[] | number,
): Signal[] {
  for (const [limit, name] of [
    [lower, "lower"],
    [upper, "upper"],
  ] as const) {
    if (typeof limit !== "number" && limit.length !== values.length) {
      throw new RangeError(`${name} limits must be one number or one per value`);
    }
  }
  const limitAt = (limit: readonly number[] | number, i: number) =>
    typeof limit === "number" ? limit : (limit[i] ?? Number.NaN);
  const signals: Signal[] = [];
  values.forEach((value, i) => {
    if (value > limitAt(upper, i) || value < limitAt(lower, i)) signals.push({ rule: "beyond-limits", indices: [i] });
  });
  for (const [first, last] of stretches(values.map((value) => Math.sign(value - centre)))) {
    if (last - first + 1 >= SHIFT_LENGTH) signals.push({ rule: "shift", indices: indexRange(first, last) });
  }
  // Step i is the move from point i to point i + 1; a stretch of s steps spans s + 1 points.
  const steps = values.slice(1).map((value, i) => Math.sign(value - (values[i] ?? Number.NaN)));
  for (const [first, last] of stretches(steps)) {
    if (last - first + 2 >= TREND_LENGTH) signals.push({ rule: "trend", indices: indexRange(first, last + 1) });
  }
  return signals;
}

/**
 * The XmR (individuals and moving range) chart (Wheeler & Chambers, Understanding Statistical
 * Process Control): centre x̄, MR̄ the mean of |xᵢ − xᵢ₋₁|, natural process limits
 * x̄ ± 2.66·MR̄ (not floored: values may be negative), moving-range limit 3.267·MR̄.
 * Signals come from specialCauses on the individual values. Limits are NaN with fewer than
 * 2 values; the centre is NaN with none.
 */
export function xmrChart(values: readonly number[]): XmrChart {
  assertFiniteValues(values, "values");
  const centre = mean(values);
  const movingRanges = values.slice(1).map((value, i) => Math.abs(value - (values[i] ?? value)));
  const movingRangeCentre = mean(movingRanges);
  const upperLimit = centre + NATURAL_PROCESS_LIMIT_FACTOR * movingRangeCentre;
  const lowerLimit = centre - NATURAL_PROCESS_LIMIT_FACTOR * movingRangeCentre;
  return {
    centre,
    upperLimit,
    lowerLimit,
    movingRanges,
    movingRangeCentre,
    movingRangeUpperLimit: D4 * movingRangeCentre,
    signals: specialCauses(values, centre, lowerLimit, upperLimit),
  };
}

export interface PChartOptions {
  /** Widen the limits by Laney's σ_z for large, over-dispersed denominators (Laney 2002). */
  readonly laney?: boolean;
}

/**
 * The P chart for proportions with varying denominators (Montgomery, ch. 7): centre
 * p̄ = Σ successes / Σ trials, σᵢ = √(p̄(1 − p̄)/nᵢ), limits p̄ ± 3σᵢ clipped to [0, 1].
 *
 * With `laney: true`, Laney's P′ chart (Laney 2002, "Improved control charts for attributes"):
 * zᵢ = (pᵢ − p̄)/σᵢ, σ_z = mean |zᵢ − zᵢ₋₁| / 1.128, limits p̄ ± 3·σᵢ·σ_z. With large
 * denominators the binomial σᵢ understates month-to-month variation and plain P limits flag
 * nearly every point; σ_z measures that extra variation (σ_z ≈ 1 means none).
 *
 * A point with 0 trials has p, limits and z of NaN (it is skipped in the moving ranges, and
 * raises no signal). σ_z is NaN with fewer than 2 usable points; when p̄ is 0 or 1 every σᵢ is
 * 0 and the limits collapse onto the centre.
 */
export function pChart(
  points: readonly { readonly successes: number; readonly trials: number }[],
  options: PChartOptions = {},
): PChart {
  points.forEach((point, i) => {
    assertCounts(point.successes, point.trials, `pChart point ${i}`);
  });
  const totalSuccesses = points.reduce((sum, point) => sum + point.successes, 0);
  const totalTrials = points.reduce((sum, point) => sum + point.trials, 0);
  const centre = totalTrials === 0 ? Number.NaN : totalSuccesses / totalTrials;
  const proportions = points.map((point) => (point.trials > 0 ? point.successes / point.trials : Number.NaN));
  const sigmas = points.map((point) =>
    point.trials > 0 ? Math.sqrt((centre * (1 - centre)) / point.trials) : Number.NaN,
  );

  let sigmaZ: number | undefined;
  if (options.laney) {
    const zScores = proportions.map((p, i) => (p - centre) / (sigmas[i] ?? Number.NaN)).filter(Number.isFinite);
    const movingRanges = zScores.slice(1).map((z, i) => Math.abs(z - (zScores[i] ?? z)));
    sigmaZ = mean(movingRanges) / D2;
  }
  const chartPoints = proportions.map((p, i) => {
    const sigma = sigmas[i] ?? Number.NaN;
    // σᵢ = 0 (p̄ is 0 or 1) gives a zero width even when σ_z is NaN.
    const halfWidth = sigma === 0 ? 0 : 3 * sigma * (sigmaZ ?? 1);
    return { p, lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
  });
  const signals = specialCauses(
    proportions,
    centre,
    chartPoints.map((point) => point.lower),
    chartPoints.map((point) => point.upper),
  );
  return sigmaZ === undefined
    ? { centre, points: chartPoints, signals }
    : { centre, points: chartPoints, sigmaZ, signals };
}

/**
 * The run chart with Anhøj's rules (Anhøj & Olesen 2014, "Run charts revisited", PLoS ONE
 * 9(11): e113825; as in R's qicharts2). The centre is the median; points exactly on it are
 * skipped (they neither extend nor break a run), leaving n useful points.
 * - "shift": a run on one side of the median longer than round(log₂(n) + 3) points; one
 *   signal per such run, with the indices of its useful points.
 * - "crossings": fewer median crossings than qbinom(0.05, n − 1, 0.5), the lower 5% of the
 *   crossings expected from random variation; the signal lists all useful points.
 * With no useful points (no values, or all on the median) the limits are NaN and there are no
 * signals.
 */
export function runChart(values: readonly number[]): RunChart {
  assertFiniteValues(values, "values");
  const centre = median(values);
  const useful = values.flatMap((value, index) => {
    const side = Math.sign(value - centre);
    return side === 0 || Number.isNaN(side) ? [] : [{ side, index }];
  });
  const runs: number[][] = [];
  useful.forEach((point, i) => {
    const currentRun = runs.at(-1);
    if (currentRun && useful[i - 1]?.side === point.side) currentRun.push(point.index);
    else runs.push([point.index]);
  });
  const n = useful.length;
  const longestRun = runs.reduce((longest, run) => Math.max(longest, run.length), 0);
  const crossings = Math.max(0, runs.length - 1);
  if (n === 0) {
    return {
      median: centre,
      longestRun,
      longestRunLimit: Number.NaN,
      crossings,
      minimumCrossings: Number.NaN,
      signals: [],
    };
  }
  const longestRunLimit = Math.round(Math.log2(n) + 3);
  const minimumCrossings = binomialQuantile(0.05, n - 1, 0.5);
  const signals: Signal[] = runs
    .filter((run) => run.length > longestRunLimit)
    .map((run) => ({ rule: "shift", indices: run }));
  if (crossings < minimumCrossings) signals.push({ rule: "crossings", indices: useful.map((point) => point.index) });
  return { median: centre, longestRun, longestRunLimit, crossings, minimumCrossings, signals };
}
