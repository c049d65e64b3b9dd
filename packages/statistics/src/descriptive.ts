/*
 * Descriptive statistics the other modules build on. Empty input gives NaN rather than an
 * exception: "no data" is an ordinary state for a dashboard tile, not a programming error.
 */

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let total = 0;
  for (const value of values) total += value;
  return total / values.length;
}

/**
 * The sample variance (divisor n − 1); NaN for fewer than 2 values. Two passes (mean first, then
 * squared deviations) avoid the cancellation of the one-pass Σx² − n·x̄² formula.
 */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const centre = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - centre) ** 2;
  return squares / (values.length - 1);
}

/** The sample standard deviation (divisor n − 1); NaN for fewer than 2 values. */
export function standardDeviation(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

/**
 * The p-quantile by linear interpolation between order statistics at position (n − 1)·p
 * (Hyndman & Fan 1996, definition 7; R's and NumPy's default). NaN for no values.
 */
export function quantile(values: readonly number[], probability: number): number {
  if (!(probability >= 0 && probability <= 1)) throw new RangeError("probability must be between 0 and 1");
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const lowerValue = sorted[below] ?? Number.NaN;
  const upperValue = sorted[Math.min(below + 1, sorted.length - 1)] ?? Number.NaN;
  return lowerValue + (position - below) * (upperValue - lowerValue);
}

/** The median (the middle value, or the mean of the two middle values); NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
