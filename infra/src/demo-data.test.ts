import { describe, expect, it } from "vitest";
import { batches } from "./demo-data.ts";

describe("the demo clinic's batches", () => {
  const events = Array.from({ length: 2_500 }, (_, index) => JSON.stringify({ id: `evt_${index}` }));

  it("hold at most 1,000 events each, in order", () => {
    const bodies = batches(events, 5_242_880).map((body) => JSON.parse(body) as { id: string }[]);
    expect(bodies.map((body) => body.length)).toEqual([1_000, 1_000, 500]);
    expect(bodies.flat().map((event) => event.id)).toEqual(events.map((event) => JSON.parse(event).id));
  });

  it("stay within the body limit", () => {
    const limit = 10_000;
    const bodies = batches(events, limit);
    expect(bodies.every((body) => Buffer.byteLength(body) <= limit)).toBe(true);
    expect(bodies.flatMap((body) => JSON.parse(body) as unknown[])).toHaveLength(events.length);
  });
});
