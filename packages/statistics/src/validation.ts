/*
 * Argument checks shared by the statistics. Messages name the argument and the rule broken,
 * never the values: callers pass aggregates, but an array of numbers makes a poor (and possibly
 * revealing) error message.
 */

/** Throws unless 0 < confidence < 1. */
export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError("confidence must be between 0 and 1 (exclusive), e.g. 0.95");
  }
}

/** Throws unless every value is a finite number, naming the first offending index. */
export function assertFiniteValues(values: readonly number[], name: string): void {
  const index = values.findIndex((value) => !Number.isFinite(value));
  if (index !== -1) throw new RangeError(`${name} must contain only finite numbers (index ${index} does not)`);
}

/** Throws unless the two arrays are paired one to one. */
export function assertSameLength(
  first: readonly unknown[],
  second: readonly unknown[],
  firstName: string,
  secondName: string,
): void {
  if (first.length !== second.length) {
    throw new RangeError(
      `${firstName} and ${secondName} must have the same length (got ${first.length} and ${second.length})`,
    );
  }
}

/** Throws unless 0 ≤ successes ≤ trials, both finite. */
export function assertCounts(successes: number, trials: number, name: string): void {
  if (!Number.isFinite(trials) || trials < 0) throw new RangeError(`${name}: trials must be a finite number ≥ 0`);
  if (!Number.isFinite(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`${name}: successes must be between 0 and trials`);
  }
}

/** Throws unless value is a whole number ≥ minimum (a count of observations). */
export function assertWholeNumber(value: number, name: string, minimum = 0): void {
  if (!(Number.isInteger(value) && value >= minimum))
    throw new RangeError(`${name} must be a whole number ≥ ${minimum}`);
}

/** Throws unless value is a finite number, and with `nonNegative` also ≥ 0 (a sum of squares). */
export function assertFiniteNumber(value: number, name: string, nonNegative = false): void {
  if (!(Number.isFinite(value) && (!nonNegative || value >= 0))) {
    throw new RangeError(`${name} must be a finite number${nonNegative ? " ≥ 0" : ""}`);
  }
}
