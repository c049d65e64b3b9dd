import { chiSquareUpperTail, normalCriticalValue } from "./distributions.ts";
import { invertMatrix, quadraticForm } from "./linear-algebra.ts";
import { assertConfidence } from "./validation.ts";

/*
 * Survival analysis for retention: the Kaplan-Meier estimator and the k-group log-rank test.
 * An observation is a time (e.g. days from intake) and whether the event (e.g. drop-out) was
 * seen; event = false means censored, still retained when follow-up ended. An observation may
 * stand for several identical subjects (`count`), so that SQL can send one row per
 * (time, event) instead of one per client: `SELECT time, event, count(*) ... GROUP BY 1, 2`.
 */

export interface SurvivalObservation {
  readonly time: number;
  readonly event: boolean;
  /**
   * How many subjects share this time and event status: a frequency weight, a whole number
   * ≥ 1, default 1. Every count, at-risk and event figure is a sum of these.
   */
  readonly count?: number;
}

export interface KaplanMeierPoint {
  readonly time: number;
  /** Subjects still under observation just before `time`. */
  readonly atRisk: number;
  readonly events: number;
  readonly censored: number;
  readonly survival: number;
  readonly lower: number;
  readonly upper: number;
}

export interface KaplanMeierCurve {
  readonly points: readonly KaplanMeierPoint[];
  /** The smallest time at which survival ≤ 0.5; null if the curve never gets there. */
  readonly median: number | null;
}

export interface LogRankTest {
  readonly chiSquare: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** Events per group, in the order given. */
  readonly observed: number[];
  /** Events expected per group if all groups shared one hazard. */
  readonly expected: number[];
}

// Survival is a product of many fractions: a curve that should reach exactly 0.5 can land at
// 0.5000000000000001, which must still count for the median.
const MEDIAN_TOLERANCE = 1e-12;

function assertObservations(observations: readonly SurvivalObservation[], name: string): void {
  const index = observations.findIndex((observation) => !(Number.isFinite(observation.time) && observation.time >= 0));
  if (index !== -1) throw new RangeError(`${name}: every time must be a finite number ≥ 0 (index ${index} is not)`);
  const countIndex = observations.findIndex(
    (observation) =>
      observation.count !== undefined && !(Number.isInteger(observation.count) && observation.count >= 1),
  );
  if (countIndex !== -1) {
    throw new RangeError(`${name}: every count must be a whole number ≥ 1 (index ${countIndex} is not)`);
  }
}

/** The number of subjects an observation stands for (none for a missing one). */
function countOf(observation: SurvivalObservation | undefined): number {
  return observation ? (observation.count ?? 1) : 0;
}

/** The number of subjects in a group: the sum of the counts. */
function subjects(observations: readonly SurvivalObservation[]): number {
  return observations.reduce((total, observation) => total + countOf(observation), 0);
}

/**
 * The pointwise confidence interval for S(t) on the complementary log-log scale (Kalbfleisch &
 * Prentice 1980; the default of Stata's sts and R's conf.type = "log-log"): with Greenwood's
 * Var(log Ŝ) = Σ d/(n(n − d)), se(log(−log Ŝ)) = √Var / |log Ŝ|, and the bounds are
 * Ŝ^exp(±z·se). Unlike the plain interval it always lies inside [0, 1].
 */
function logLogInterval(survival: number, greenwoodSum: number, z: number): { lower: number; upper: number } {
  // No event yet: the estimate is exactly 1 with no sampling error. After the last subject
  // has the event it is exactly 0, where log(−log S) is undefined; report the point itself.
  if (survival >= 1) return { lower: 1, upper: 1 };
  if (survival <= 0) return { lower: 0, upper: 0 };
  const standardError = Math.sqrt(greenwoodSum) / Math.abs(Math.log(survival));
  return { lower: survival ** Math.exp(z * standardError), upper: survival ** Math.exp(-z * standardError) };
}

/**
 * The Kaplan-Meier product-limit estimate Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) (Kaplan & Meier 1958),
 * with Greenwood's variance and log(−log) pointwise intervals (see logLogInterval). Subjects
 * censored at an event time count as at risk at that time, the usual convention. An
 * observation with `count` c counts as c identical subjects: nᵢ and dᵢ are sums of counts, so
 * grouped and expanded observations give the same curve.
 *
 * Points: one at time 0 (survival 1, or lower if events happen at time 0), then one at each
 * distinct time with an event or a censoring. No observations give no points and no median.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[], confidence = 0.95): KaplanMeierCurve {
  assertConfidence(confidence);
  assertObservations(observations, "kaplanMeier");
  if (observations.length === 0) return { points: [], median: null };
  const z = normalCriticalValue(confidence);
  const sorted = [...observations].sort((a, b) => a.time - b.time);

  const total = subjects(sorted);
  const points: KaplanMeierPoint[] = [];
  if ((sorted[0]?.time ?? 0) > 0) {
    points.push({ time: 0, atRisk: total, events: 0, censored: 0, survival: 1, lower: 1, upper: 1 });
  }
  let atRisk = total;
  let survival = 1;
  let greenwoodSum = 0;
  let index = 0;
  while (index < sorted.length) {
    const time = sorted[index]?.time ?? 0;
    let events = 0;
    let censored = 0;
    for (; index < sorted.length && sorted[index]?.time === time; index += 1) {
      const observation = sorted[index];
      if (observation?.event) events += countOf(observation);
      else censored += countOf(observation);
    }
    survival *= 1 - events / atRisk;
    // When everyone left at risk has the event, d/(n(n − d)) is infinite but S is 0 anyway.
    if (events > 0 && events < atRisk) greenwoodSum += events / (atRisk * (atRisk - events));
    points.push({ time, atRisk, events, censored, survival, ...logLogInterval(survival, greenwoodSum, z) });
    atRisk -= events + censored;
  }
  const medianPoint = points.find((point) => point.survival <= 0.5 + MEDIAN_TOLERANCE);
  return { points, median: medianPoint ? medianPoint.time : null };
}

/**
 * The Kaplan-Meier step function at `time`: the survival of the last point at or before it
 * (the curve is right-continuous). 1 before time 0; beyond the last point, the last value,
 * though the data say nothing there. NaN for a curve without points.
 */
export function survivalAt(curve: Pick<KaplanMeierCurve, "points">, time: number): number {
  if (curve.points.length === 0) return Number.NaN;
  let survival = 1;
  for (const point of curve.points) {
    if (point.time > time) break;
    survival = point.survival;
  }
  return survival;
}

/**
 * The log-rank test of equal survival in k ≥ 2 groups (Mantel 1966; Peto & Peto 1972), as R's
 * survdiff computes it. At each distinct event time t, with nᵢ at risk in group i, n in all,
 * d events in all:
 *   Eᵢ += d·nᵢ/n,   Vᵢⱼ += d(n − d)/(n − 1) · (nᵢ/n)(δᵢⱼ − nⱼ/n)   (hypergeometric covariance).
 * χ² = (O − E)ᵀ V⁻¹ (O − E) over all groups but one — the O − E sum to zero, so the full V is
 * singular and any one group may be dropped — with k − 1 degrees of freedom. For two groups
 * this is the familiar (O₁ − E₁)²/V₁₁.
 *
 * Observations with a `count` stand for that many identical subjects: nᵢ and d are sums of
 * counts, so grouped and expanded observations give the same test.
 *
 * Groups with no expected events (empty, or all censored before the first event) carry no
 * information and are left out of the statistic and its degrees of freedom, as survdiff does.
 * With fewer than two informative groups there is no test: χ² = 0, df = 0, p = NaN. If the
 * covariance is still singular (e.g. every subject at risk has the event at once) χ² and p
 * are NaN.
 */
export function logRankTest(groups: readonly (readonly SurvivalObservation[])[]): LogRankTest {
  if (groups.length < 2) throw new RangeError("logRankTest needs at least 2 groups");
  groups.forEach((group, i) => {
    assertObservations(group, `logRankTest group ${i}`);
  });
  const k = groups.length;
  const sortedGroups = groups.map((group) => [...group].sort((a, b) => a.time - b.time));
  const eventTimes = [
    ...new Set(groups.flat().flatMap((observation) => (observation.event ? [observation.time] : []))),
  ];
  eventTimes.sort((a, b) => a - b);

  const observed = Array.from({ length: k }, () => 0);
  const expected = Array.from({ length: k }, () => 0);
  const covariance = Array.from({ length: k }, () => Array.from({ length: k }, () => 0));
  // firstAtRisk[i]: index in group i of the first observation still at risk (time ≥ current
  // time); stillAtRisk[i]: the subjects those observations from there on stand for.
  const firstAtRisk = Array.from({ length: k }, () => 0);
  const stillAtRisk = sortedGroups.map((group) => subjects(group));

  for (const time of eventTimes) {
    const atRisk: number[] = [];
    const events: number[] = [];
    sortedGroups.forEach((group, i) => {
      let start = firstAtRisk[i] ?? 0;
      let remaining = stillAtRisk[i] ?? 0;
      while (start < group.length && (group[start]?.time ?? 0) < time) {
        remaining -= countOf(group[start]);
        start += 1;
      }
      firstAtRisk[i] = start;
      stillAtRisk[i] = remaining;
      let groupEvents = 0;
      for (let j = start; j < group.length && group[j]?.time === time; j += 1) {
        if (group[j]?.event) groupEvents += countOf(group[j]);
      }
      atRisk.push(remaining);
      events.push(groupEvents);
    });
    const totalAtRisk = atRisk.reduce((sum, count) => sum + count, 0);
    const totalEvents = events.reduce((sum, count) => sum + count, 0);
    // With one subject at risk the hypergeometric variance is 0 (d(n − d) = 0) but 0/0 here.
    const spread = totalAtRisk > 1 ? (totalEvents * (totalAtRisk - totalEvents)) / (totalAtRisk - 1) : 0;
    for (let i = 0; i < k; i += 1) {
      const shareI = (atRisk[i] ?? 0) / totalAtRisk;
      observed[i] = (observed[i] ?? 0) + (events[i] ?? 0);
      expected[i] = (expected[i] ?? 0) + totalEvents * shareI;
      const row = covariance[i] ?? [];
      for (let j = 0; j < k; j += 1) {
        const shareJ = (atRisk[j] ?? 0) / totalAtRisk;
        row[j] = (row[j] ?? 0) + spread * shareI * ((i === j ? 1 : 0) - shareJ);
      }
    }
  }

  const informative = expected.flatMap((value, i) => (value > 0 ? [i] : []));
  if (informative.length < 2) return { chiSquare: 0, degreesOfFreedom: 0, pValue: Number.NaN, observed, expected };
  const kept = informative.slice(1);
  const differences = kept.map((i) => (observed[i] ?? 0) - (expected[i] ?? 0));
  const reducedCovariance = kept.map((i) => kept.map((j) => covariance[i]?.[j] ?? 0));
  const inverse = invertMatrix(reducedCovariance);
  const degreesOfFreedom = informative.length - 1;
  if (!inverse) return { chiSquare: Number.NaN, degreesOfFreedom, pValue: Number.NaN, observed, expected };
  const chiSquare = quadraticForm(differences, inverse);
  return { chiSquare, degreesOfFreedom, pValue: chiSquareUpperTail(chiSquare, degreesOfFreedom), observed, expected };
}
