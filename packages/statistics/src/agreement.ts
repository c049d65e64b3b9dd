import { mean } from "./descriptive.ts";
import { fQuantile } from "./distributions.ts";
import { assertFiniteValues } from "./validation.ts";

/*
 * Inter-rater agreement, e.g. two coders (or coder and model) scoring the same MITI sessions.
 */

export type IccInterpretation = "poor" | "fair" | "good" | "excellent";

/**
 * ICC(2,1): two-way random effects, absolute agreement, single rater (Shrout & Fleiss 1979,
 * case 2; McGraw & Wong 1996's ICC(A,1)). From the two-way ANOVA of ratings[target][rater]
 * with n targets and k raters:
 *   ICC = (BMS − EMS) / (BMS + (k − 1)·EMS + k·(JMS − EMS)/n)
 * where BMS, JMS and EMS are the target, rater and residual mean squares. NaN for fewer than
 * 2 targets or raters, or when every rating is identical (0/0). Rows must all have k ratings.
 */
export function icc21(ratings: readonly (readonly number[])[]): number {
  const n = ratings.length;
  const k = ratings[0]?.length ?? 0;
  ratings.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`ratings row ${i} must have as many ratings as row 0`);
    assertFiniteValues(row, `ratings row ${i}`);
  });
  if (n < 2 || k < 2) return Number.NaN;
  const grandMean = mean(ratings.flat());
  const targetMeans = ratings.map((row) => mean(row));
  const raterMeans = Array.from({ length: k }, (_, j) => mean(ratings.map((row) => row[j] ?? 0)));
  const targetSquares = k * targetMeans.reduce((sum, value) => sum + (value - grandMean) ** 2, 0);
  const raterSquares = n * raterMeans.reduce((sum, value) => sum + (value - grandMean) ** 2, 0);
  const totalSquares = ratings.flat().reduce((sum, value) => sum + (value - grandMean) ** 2, 0);
  const targetMeanSquare = targetSquares / (n - 1);
  const raterMeanSquare = raterSquares / (k - 1);
  const errorMeanSquare = (totalSquares - targetSquares - raterSquares) / ((n - 1) * (k - 1));
  return (
    (targetMeanSquare - errorMeanSquare) /
    (targetMeanSquare + (k - 1) * errorMeanSquare + (k * (raterMeanSquare - errorMeanSquare)) / n)
  );
}

/** Sums over n targets each rated once by rater A and once by rater B, as SQL computes them. */
export interface PairSums {
  readonly n: number;
  readonly sumA: number;
  readonly sumB: number;
  readonly sumAA: number;
  readonly sumBB: number;
  readonly sumAB: number;
}

/**
 * ICC(2,1) for two raters from sums alone, the same two-way ANOVA as icc21 (k = 2): with
 * grand mean G = (ΣA + ΣB)/2n,
 *   SS_total = ΣA² + ΣB² − 2nG²,  SS_targets = (ΣA² + 2ΣAB + ΣB²)/2 − 2nG²,
 *   SS_raters = n[(Ā − G)² + (B̄ − G)²],  SS_error = SS_total − SS_targets − SS_raters.
 * So agreement over a million sessions needs one row from the database, not a million.
 * NaN for fewer than 2 targets or no variation at all.
 */
export function icc21FromPairSums(sums: PairSums): number {
  const squares = pairMeanSquares(sums);
  if (squares === null) return Number.NaN;
  const { n } = sums;
  const { targets, raters, error } = squares;
  return (targets - error) / (targets + error + (2 * (raters - error)) / n);
}

/** The two-way ANOVA mean squares of the pairs (targets, raters, residual); null below 2 targets. */
function pairMeanSquares(sums: PairSums): { targets: number; raters: number; error: number } | null {
  const { n, sumA, sumB, sumAA, sumBB, sumAB } = sums;
  if (!Number.isInteger(n) || n < 0) throw new RangeError("n must be a whole number ≥ 0");
  if (n < 2) return null;
  const grand = (sumA + sumB) / (2 * n);
  const correction = 2 * n * grand * grand;
  const totalSquares = sumAA + sumBB - correction;
  const targetSquares = (sumAA + 2 * sumAB + sumBB) / 2 - correction;
  const raterSquares = n * ((sumA / n - grand) ** 2 + (sumB / n - grand) ** 2);
  return {
    targets: targetSquares / (n - 1),
    raters: raterSquares,
    error: (totalSquares - targetSquares - raterSquares) / (n - 1),
  };
}

export interface IccInterval {
  readonly icc: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * ICC(2,1) of two raters with its confidence interval, from the same sums: McGraw & Wong
 * (1996), case 2A (as pingouin's ICC2 and SPSS compute it), with k = 2 raters,
 *   a = k·ICC / (n(1 − ICC)),  b = 1 + k·ICC·(n − 1) / (n(1 − ICC)),
 *   v = (a·MSC + b·MSE)² / ((a·MSC)²/(k − 1) + (b·MSE)²/((n − 1)(k − 1)))   (Satterthwaite),
 *   F* = F(1 − α/2; n − 1, v),  F_* = F(1 − α/2; v, n − 1),
 *   lower = n(MSR − F*·MSE) / (F*(k·MSC + (kn − k − n)·MSE) + n·MSR),
 *   upper = n(F_*·MSR − MSE) / (k·MSC + (kn − k − n)·MSE + n·F_*·MSR),
 * unclipped, as they do: where the raters disagree more than the targets vary, the sample ICC
 * itself can fall below −1, and its interval with it. Null when the ICC cannot be computed or
 * the interval is undefined (perfect agreement: ICC = 1; no residual or rater variation left
 * to give v degrees of freedom).
 */
export function icc21IntervalFromPairSums(sums: PairSums, confidence = 0.95): IccInterval | null {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError("confidence must be between 0 and 1");
  const squares = pairMeanSquares(sums);
  const icc = icc21FromPairSums(sums);
  if (squares === null || !Number.isFinite(icc) || icc >= 1) return null;
  const { n } = sums;
  const k = 2;
  const { targets: msr, raters: msc, error: mse } = squares;
  const a = (k * icc) / (n * (1 - icc));
  const b = 1 + (k * icc * (n - 1)) / (n * (1 - icc));
  const v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)));
  if (!(v > 0 && Number.isFinite(v))) return null;
  const tail = 1 - (1 - confidence) / 2;
  const fForLower = fQuantile(tail, n - 1, v);
  const fForUpper = fQuantile(tail, v, n - 1);
  const spread = k * msc + (k * n - k - n) * mse;
  const lower = (n * (msr - fForLower * mse)) / (fForLower * spread + n * msr);
  const upper = (n * (fForUpper * msr - mse)) / (spread + n * fForUpper * msr);
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) return null;
  return { icc, lower, upper };
}

/**
 * Cicchetti's (1994) bands for clinical reliability: < 0.40 poor, 0.40–0.59 fair,
 * 0.60–0.74 good, ≥ 0.75 excellent; read as half-open intervals [0.40, 0.60), [0.60, 0.75) so
 * every value has one band. Throws for NaN (an ICC that could not be computed has no band).
 */
export function iccInterpretation(icc: number): IccInterpretation {
  if (Number.isNaN(icc)) throw new RangeError("icc must be a number (icc21 gives NaN when it cannot be computed)");
  if (icc < 0.4) return "poor";
  if (icc < 0.6) return "fair";
  if (icc < 0.75) return "good";
  return "excellent";
}
