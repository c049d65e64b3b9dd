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
 * that chooses the port; `hint` says what else the user can do.
 */
export async function assertPortFree(port: number, variable: string, hint: string): Promise<void> {
  if (await isPortFree(port)) return;
  throw new InfraError(`Port ${port} (${variable}) is already in use by another program.`, hint);
}
