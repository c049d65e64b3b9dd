import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * /healthz and /readyz for a service with no HTTP API of its own (coding, aggregation), for
 * `npm start` and orchestrators. They expose no data, so they need no key.
 */
export async function startHealthServer(options: {
  readonly port: number;
  readonly host: string;
  readonly isReady: () => boolean;
}): Promise<{ readonly url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => (options.isReady() ? c.json({ status: "ready" }) : c.json({ status: "starting" }, 503)));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(started));
    started.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
