import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { batches, IngestRefusedError, sendEvents } from "./send.ts";
import { fakeIngest } from "./testing/fake-ingest.ts";

describe("batches", () => {
  const events = Array.from({ length: 2_500 }, (_, index) => JSON.stringify({ id: `evt_${index}` }));

  it("hold at most 1,000 events each (or fewer if asked), in order", () => {
    const bodies = batches(events, 5_242_880).map((batch) => JSON.parse(batch.body) as { id: string }[]);
    expect(bodies.map((body) => body.length)).toEqual([1_000, 1_000, 500]);
    expect(bodies.flat().map((event) => event.id)).toEqual(events.map((event) => JSON.parse(event).id));
    expect(batches(events, 5_242_880, 100)).toHaveLength(25);
  });

  it("stay within the body limit and count their events", () => {
    const limit = 10_000;
    const found = batches(events, limit);
    expect(found.every((batch) => Buffer.byteLength(batch.body) <= limit)).toBe(true);
    expect(found.every((batch) => (JSON.parse(batch.body) as unknown[]).length === batch.events)).toBe(true);
    expect(found.reduce((sum, batch) => sum + batch.events, 0)).toBe(events.length);
  });
});

describe("sendEvents", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });
  const events = Array.from({ length: 30 }, (_, index) => JSON.stringify({ id: `evt_${index}` }));

  it("waits out 429 and 503 answers and sends every event once acknowledged, in order, with the key", async () => {
    const ingest = await fakeIngest((request) =>
      request === 1
        ? { status: 429, retryAfter: "0.05" }
        : request === 2
          ? { status: 503, retryAfter: "0.05" }
          : { status: 202 },
    );
    servers.push(ingest.server);
    const acknowledged: number[] = [];
    const sent = await sendEvents(
      events,
      { url: ingest.url, apiKey: "s3cret" },
      { rate: 100, onAcknowledged: (n) => void acknowledged.push(n) },
    );
    expect(sent).toBe(30);
    expect(ingest.received.flatMap((batch) => batch.ids)).toEqual(events.map((event) => JSON.parse(event).id));
    expect(new Set(ingest.received.map((batch) => batch.authorization))).toEqual(new Set(["Bearer s3cret"]));
    // At 100 events/s a batch holds a tenth of a second's events.
    expect(acknowledged).toEqual([10, 20, 30]);
  });

  it("keeps to the rate", async () => {
    const ingest = await fakeIngest(() => ({ status: 202 }));
    servers.push(ingest.server);
    const began = performance.now();
    await sendEvents(events, { url: ingest.url, apiKey: "k" }, { rate: 60 });
    // 30 events at 60/s: the last batch (of 6) is due after 24 events, at 0.4 s.
    expect(performance.now() - began).toBeGreaterThanOrEqual(390);
  });

  it("resumes after the acknowledged events", async () => {
    const ingest = await fakeIngest(() => ({ status: 202 }));
    servers.push(ingest.server);
    expect(await sendEvents(events, { url: ingest.url, apiKey: "k" }, { from: 25 })).toBe(30);
    expect(ingest.received.flatMap((batch) => batch.ids)).toEqual(["evt_25", "evt_26", "evt_27", "evt_28", "evt_29"]);
  });

  it("tries again while ingest does not answer at all, until it does", async () => {
    const ingest = await fakeIngest(() => ({ status: 202 }));
    const { port } = ingest.server.address() as AddressInfo;
    ingest.server.close();
    await once(ingest.server, "close");
    const sending = sendEvents(events, { url: ingest.url, apiKey: "k" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    ingest.server.listen(port, "127.0.0.1");
    servers.push(ingest.server);
    expect(await sending).toBe(30);
    expect(ingest.received.flatMap((batch) => batch.ids)).toHaveLength(30);
  });

  it("stops at an answer that resending cannot change, saying what ingest said", async () => {
    const ingest = await fakeIngest(() => ({ status: 400 }));
    servers.push(ingest.server);
    const sending = sendEvents(events, { url: ingest.url, apiKey: "k" });
    await expect(sending).rejects.toThrow(IngestRefusedError);
    await expect(sending).rejects.toThrow("ingest answered 400 status 400: why");
    expect(ingest.requests()).toBe(1);
  });
});
