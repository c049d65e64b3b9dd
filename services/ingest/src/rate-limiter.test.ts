import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter.ts";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("RateLimiter", () => {
  it("lets a full burst through, then says how long to wait", () => {
    const time = clock();
    const limiter = new RateLimiter(100, 1_000, time.now);
    expect(limiter.take("k", 1_000)).toBe(0);
    expect(limiter.take("k", 50)).toBe(1);
    time.advance(500); // 50 tokens back
    expect(limiter.take("k", 50)).toBe(0);
    expect(limiter.take("k", 300)).toBe(3);
  });

  it("keeps a bucket per key", () => {
    const limiter = new RateLimiter(10, 10, clock().now);
    expect(limiter.take("a", 10)).toBe(0);
    expect(limiter.take("b", 10)).toBe(0);
    expect(limiter.take("a", 1)).toBeGreaterThan(0);
  });

  it("never holds more than its capacity however long it idles", () => {
    const time = clock();
    const limiter = new RateLimiter(10, 20, time.now);
    time.advance(3_600_000);
    expect(limiter.take("k", 20)).toBe(0);
    expect(limiter.take("k", 1)).toBeGreaterThan(0);
  });

  it("is off at 0 events per second", () => {
    const limiter = new RateLimiter(0, 1_000, clock().now);
    expect(limiter.enabled).toBe(false);
    expect(limiter.take("k", 1_000_000)).toBe(0);
  });
});
