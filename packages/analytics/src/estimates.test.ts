import { describe, expect, it } from "vitest";
import { meanOf, share } from "./estimates.ts";

describe("share", () => {
  it("gives the Wilson 95% interval (2 of 6: 0.0968 to 0.7000)", () => {
    const result = share(2, 6);
    expect(result.share).toBeCloseTo(1 / 3, 10);
    expect(result.lower).toBeCloseTo(0.096771, 5);
    expect(result.upper).toBeCloseTo(0.700007, 5);
  });

  it("says nothing rather than 0% when there is nothing to count", () => {
    expect(share(0, 0)).toEqual({ count: 0, of: 0, share: null, lower: null, upper: null });
  });
});

describe("meanOf", () => {
  it("gives the t interval from PostgreSQL's count, avg and var_samp", () => {
    // Changes 1, 5, 0, 4, −1: mean 1.8, variance 6.7, t(0.975, 4) = 2.776445.
    const result = meanOf(5, 1.8, 6.7);
    expect(result.lower).toBeCloseTo(1.8 - 2.776445 * Math.sqrt(6.7 / 5), 5);
    expect(result.sd).toBeCloseTo(Math.sqrt(6.7), 10);
  });

  it("has no interval for a single value, and no mean for none", () => {
    expect(meanOf(1, 3, null)).toEqual({ n: 1, mean: 3, lower: null, upper: null, sd: null });
    expect(meanOf(0, null, null).mean).toBeNull();
  });
});
