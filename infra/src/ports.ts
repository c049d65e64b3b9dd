import { createServer } from "node:net";
import { InfraError } from "./errors.ts";

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails with one actionable line when a port Evoke wants is taken. `variable` is the setting
 * that chooses the port; `hint` says what else the user can do. `waitMs` gives a process that
 * is on its way out (a service of a killed supervisor, stopping itself) time to let go.
 */
export async function assertPortFree(
  port: number,
  variable: string,
  hint: string,
  options: { waitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    if (await isPortFree(port)) return;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new InfraError(`Port ${port} (${variable}) is already in use by another program.`, hint);
}
