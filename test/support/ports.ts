import { createServer } from "node:net";

/*
 * Ports for servers a test starts later. The kernel's own pick (port 0) comes from the
 * ephemeral range (32768–60999 on Linux), the same range outgoing connections take their
 * source ports from: a port picked and released there can be taken by a Kafka or
 * PostgreSQL client connection before the server binds it, minutes later. So ports come
 * from below that range, at random (parallel test workers are separate processes), never
 * the same one twice in this process, and only once nothing listens on them.
 */
const LISTEN_PORTS = { from: 20_000, to: 32_000 } as const;
const portsHandedOut = new Set<number>();

/** A port below the ephemeral range that nobody listens on right now. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LISTEN_PORTS.from + Math.floor(Math.random() * (LISTEN_PORTS.to - LISTEN_PORTS.from));
    if (portsHandedOut.has(port) || !(await canListenOn(port))) continue;
    portsHandedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${LISTEN_PORTS.from} and ${LISTEN_PORTS.to} after 200 tries`);
}

function canListenOn(port: number): Promise<boolean> {
  // Every interface: a server on 127.0.0.1 alone also makes this bind fail. Plain listeners, not
  // events.once: once(server, "listening") rejects when "error" comes first, so a port in use
  // would throw EADDRINUSE instead of being skipped.
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.once("listening", () => server.close(() => resolve(true)));
    server.listen(port);
  });
}
