import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendWindowed } from "./send-window.ts";

/** A stand-in ingest that acknowledges each batch, the first one late, and records what came. */
async function slowFirstIngest(): Promise<{ url: string; server: Server; batches: string[] }> {
  /** Each acknowledged batch as "<first id>+<events>", in the order acknowledged. */
  const batches: string[] = [];
  let requests = 0;
  const server = createServer((request, response) => {
    const ordinal = requests++;
    let body = "";
    request.on("data", (chunk) => {
      body += String(chunk);
    });
    request.on("end", () => {
      const answer = () => {
        const batch = JSON.parse(body) as { id: string }[];
        batches.push(`${batch[0]?.id}+${batch.length}`);
        response.writeHead(202, { "content-type": "application/json" }).end("{}");
      };
      if (ordinal === 0) setTimeout(answer, 300);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, batches };
}

const events = (count: number) => Array.from({ length: count }, (_, n) => JSON.stringify({ id: `evt_${n}` }));

describe("sending with several batches in flight", () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it("checkpoints only the unbroken run of acknowledged batches from the start", async () => {
    const ingest = await slowFirstIngest();
    server = ingest.server;
    /** Each checkpoint, with whether ingest had acknowledged the first batch by then. */
    const reported: [number, boolean][] = [];
    const total = await sendWindowed(
      events(2_500),
      { url: ingest.url, apiKey: "k" },
      {
        from: 0,
        window: 4,
        onAcknowledged: async (count) => void reported.push([count, ingest.batches.includes("evt_0+1000")]),
      },
    );
    expect(total).toBe(2_500);
    // Batches 2 and 3 were acknowledged first; the checkpoint waited for batch 1.
    expect(ingest.batches.slice(0, 2).sort()).toEqual(["evt_1000+1000", "evt_2000+500"]);
    expect(ingest.batches[2]).toBe("evt_0+1000");
    expect(reported).toEqual([[2_500, true]]);
  });

  it("sends only what follows the checkpoint it resumes from", async () => {
    const ingest = await slowFirstIngest();
    server = ingest.server;
    const total = await sendWindowed(
      events(2_500),
      { url: ingest.url, apiKey: "k" },
      { from: 2_000, window: 4, onAcknowledged: async () => undefined },
    );
    expect(total).toBe(2_500);
    expect(ingest.batches).toEqual(["evt_2000+500"]);
  });
});
