import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { InfraError } from "./errors.ts";
import { isAlive } from "./processes.ts";

interface Holder {
  readonly pid: number;
  readonly startedAt: string;
}

/**
 * One `npm start` per data directory: a second one would fight the first over ports and
 * leases. Returns a function that gives the claim up.
 */
export async function claimSupervisor(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, "supervisor.json");
  for (;;) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(
        JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() } satisfies Holder),
      );
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readFile(file, "utf8")
      .then((text) => JSON.parse(text) as Holder)
      .catch(() => undefined);
    if (holder !== undefined && holder.pid !== process.pid && isAlive(holder.pid)) {
      throw new InfraError(
        `Evoke is already running from this directory (pid ${holder.pid}, started ${holder.startedAt}).`,
        `Use that one, or stop it with Ctrl-C in its terminal (or: kill ${holder.pid}). A second copy needs its own ports and EVOKE_DATA_DIR.`,
      );
    }
    // Left by a supervisor that died without cleaning up.
    await rm(file, { force: true });
  }
}
