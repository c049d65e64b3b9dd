import { expect } from "vitest";

/**
 * Fails unless `actual` equals `expected`: the same keys and lists, numbers within 1e-9 relative
 * (sums of squares against var_samp, float sums in another order), anything else exactly; the
 * failure names the path and which side (`sides`) gave which value.
 */
export function expectSame(
  actual: unknown,
  expected: unknown,
  path = "result",
  sides: readonly [string, string] = ["the rollups", "the facts"],
): void {
  if (typeof expected === "number" && typeof actual === "number") {
    const scale = Math.max(1, Math.abs(expected), Math.abs(actual));
    if (Math.abs(actual - expected) > 1e-9 * scale)
      expect.fail(`${path}: ${actual} from ${sides[0]}, ${expected} from ${sides[1]}`);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is a list`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((item, i) => {
      expectSame((actual as unknown[])[i], item, `${path}[${i}]`, sides);
    });
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(Object.keys(actual as object).sort(), `${path}'s keys`).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      expectSame((actual as Record<string, unknown>)[key], value, `${path}.${key}`, sides);
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}
