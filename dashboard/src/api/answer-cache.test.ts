import { describe, expect, it } from "vitest";
import { AnswerCache } from "./answer-cache.ts";

describe("AnswerCache", () => {
  it("answers a repeated question from the cache until it expires", async () => {
    let now = 0;
    let computed = 0;
    const cache = new AnswerCache({ ttlMs: 1_000, now: () => now });
    const ask = () =>
      cache.get("q", async () => {
        computed += 1;
        return computed;
      });
    expect(await ask()).toBe(1);
    now = 999;
    expect(await ask()).toBe(1);
    now = 1_000;
    expect(await ask()).toBe(2);
    cache.clear();
    expect(await ask()).toBe(3);
  });

  it("shares one computation between concurrent callers and forgets failures", async () => {
    let computed = 0;
    const cache = new AnswerCache({ ttlMs: 1_000 });
    const slow = () =>
      cache.get("q", async () => {
        computed += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return "answer";
      });
    expect(await Promise.all([slow(), slow()])).toEqual(["answer", "answer"]);
    expect(computed).toBe(1);
    await expect(cache.get("bad", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("bad", async () => "recovered")).toBe("recovered");
  });

  it("keeps at most maxEntries, dropping the least recently used", async () => {
    const cache = new AnswerCache({ ttlMs: 1_000, maxEntries: 2 });
    let computed = 0;
    const ask = (key: string) =>
      cache.get(key, async () => {
        computed += 1;
        return key;
      });
    await ask("a");
    await ask("b");
    await ask("a");
    await ask("c");
    computed = 0;
    await ask("a");
    await ask("c");
    expect(computed).toBe(0);
    await ask("b");
    expect(computed).toBe(1);
  });

  it("computes every time when the TTL is 0", async () => {
    let computed = 0;
    const cache = new AnswerCache({ ttlMs: 0 });
    for (let i = 0; i < 3; i += 1)
      await cache.get("q", async () => {
        computed += 1;
      });
    expect(computed).toBe(3);
  });
});
