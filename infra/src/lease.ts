import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { InfraError } from "./errors.ts";
import { isAlive } from "./processes.ts";

/*
 * A local server (the broker, embedded Postgres) is shared by every Evoke process on the
 * machine that wants it: `npm start` in one terminal and `npm test` in another use the same
 * broker. Its state file records the server's pid and the pids of the processes using it
 * (its "users"). The last user to leave stops the server. A server whose users have all died
 * (a supervisor killed with SIGKILL) is adopted by the next one, so nothing runs unowned for
 * long. All reads and writes of the state happen under a lock file.
 */

export interface ServerState<Details> {
  readonly pid: number;
  readonly users: readonly number[];
  readonly startedAt: string;
  readonly details: Details;
}

export interface ManagedServer<Details> {
  /** Shown in messages: "Kafka broker", "embedded PostgreSQL". */
  readonly label: string;
  readonly stateFile: string;
  /** Whether `pid` is still the server we started (not a recycled pid). */
  isOurs(state: ServerState<Details>): Promise<boolean>;
  /** Whether the running server is the one this process asks for (same ports...). */
  sameAs(details: Details): boolean;
  isHealthy(state: ServerState<Details>): Promise<boolean>;
  /** Starts the server and resolves when it is ready. */
  start(): Promise<{ readonly pid: number; readonly details: Details }>;
  stop(state: ServerState<Details>): Promise<void>;
  /** Removes what a dead server left behind (pid files, locks). */
  cleanStale(state: ServerState<Details>): Promise<void>;
}

export type LeaseOutcome = "started" | "reused" | "adopted";

export interface Lease<Details> {
  readonly state: ServerState<Details>;
  readonly outcome: LeaseOutcome;
  /** Leaves the server; stops it if no other live process uses it. */
  release(): Promise<void>;
}

const LOCK_TIMEOUT_MS = 180_000;

async function readState<Details>(file: string): Promise<ServerState<Details> | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as ServerState<Details>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    // A torn or hand-edited file: treat as no state; the port checks will catch a live server.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

async function writeState<Details>(file: string, state: ServerState<Details>): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, file);
}

/** Runs `work` while holding `<stateFile>.lock`; a lock left by a dead process is broken. */
export async function withLock<T>(stateFile: string, label: string, work: () => Promise<T>): Promise<T> {
  const lockFile = `${stateFile}.lock`;
  await mkdir(dirname(stateFile), { recursive: true });
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(lockFile, "utf8").catch(() => ""), 10);
      if (!Number.isInteger(holder) || !isAlive(holder)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new InfraError(
          `Another Evoke process (pid ${holder}) has been starting or stopping the ${label} for over ${LOCK_TIMEOUT_MS / 1000} s.`,
          `Wait for it, or stop it (kill ${holder}) and run the command again.`,
        );
      }
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}

function liveUsers(users: readonly number[]): number[] {
  return users.filter((pid) => pid !== process.pid && isAlive(pid));
}

/**
 * Joins the running server if it is ours, healthy and the one asked for; cleans up a stale
 * one; otherwise starts a new one. The caller must `release()` the lease when done.
 */
export async function acquireServer<Details>(server: ManagedServer<Details>): Promise<Lease<Details>> {
  return withLock(server.stateFile, server.label, async () => {
    const previous = await readState<Details>(server.stateFile);
    if (previous !== undefined) {
      if (await server.isOurs(previous)) {
        if (!server.sameAs(previous.details)) {
          throw new InfraError(
            `A ${server.label} from this data directory is already running (pid ${previous.pid}) with different settings.`,
            "Stop it first (pnpm infra down), or give this run its own EVOKE_DATA_DIR.",
          );
        }
        if (await server.isHealthy(previous)) {
          const others = liveUsers(previous.users);
          const state = { ...previous, users: [...others, process.pid] };
          await writeState(server.stateFile, state);
          return lease(server, state, others.length > 0 ? "reused" : "adopted");
        }
        // Alive but not answering: hung or half-started. Stop it and start afresh.
        await server.stop(previous);
      }
      await server.cleanStale(previous);
      await rm(server.stateFile, { force: true });
    }
    const started = await server.start();
    const state: ServerState<Details> = {
      pid: started.pid,
      users: [process.pid],
      startedAt: new Date().toISOString(),
      details: started.details,
    };
    await writeState(server.stateFile, state);
    return lease(server, state, "started");
  });
}

function lease<Details>(
  server: ManagedServer<Details>,
  state: ServerState<Details>,
  outcome: LeaseOutcome,
): Lease<Details> {
  let released: Promise<void> | undefined;
  return {
    state,
    outcome,
    release: () => {
      released ??= releaseServer(server);
      return released;
    },
  };
}

async function releaseServer<Details>(server: ManagedServer<Details>): Promise<void> {
  await withLock(server.stateFile, server.label, async () => {
    const current = await readState<Details>(server.stateFile);
    if (current === undefined) return;
    const others = liveUsers(current.users);
    if (others.length > 0) {
      await writeState(server.stateFile, { ...current, users: others });
      return;
    }
    if (await server.isOurs(current)) await server.stop(current);
    await rm(server.stateFile, { force: true });
  });
}

/** Stops the server whoever uses it (`pnpm infra down`). Returns whether one was running. */
export async function forceStopServer<Details>(server: ManagedServer<Details>): Promise<boolean> {
  return withLock(server.stateFile, server.label, async () => {
    const current = await readState<Details>(server.stateFile);
    if (current === undefined) return false;
    const running = await server.isOurs(current);
    if (running) await server.stop(current);
    else await server.cleanStale(current);
    await rm(server.stateFile, { force: true });
    return running;
  });
}

/** The recorded state, if the server it describes is still running. */
export async function runningServer<Details>(
  server: ManagedServer<Details>,
): Promise<ServerState<Details> | undefined> {
  const current = await readState<Details>(server.stateFile);
  if (current === undefined) return undefined;
  return (await server.isOurs(current)) ? current : undefined;
}
