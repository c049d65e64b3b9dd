import { execFile, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { pingDatabase } from "@evoke/db";
import { InfraError, reason } from "../errors.ts";
import { acquireServer, forceStopServer, type Lease, type ManagedServer, runningServer, withLock } from "../lease.ts";
import { assertPortFree } from "../ports.ts";
import { isAlive, isProcessRunning, stopProcess } from "../processes.ts";
import type { Progress } from "../progress.ts";
import { waitUntilServing } from "../readiness.ts";
import { type PostgresBinaries, postgresBinaries } from "./binaries.ts";
import { dataDirectory, placePostgres } from "./placement.ts";
import { postgresRunAs, type RunAs } from "./run-as.ts";

const execFileAsync = promisify(execFile);

/*
 * The embedded server listens on 127.0.0.1 only, with fixed development credentials: it is a
 * local convenience, not a deployment. Production points DATABASE_URL at a managed server.
 */
export const EMBEDDED_USER = "evoke";
const EMBEDDED_PASSWORD = "evoke";
export const EMBEDDED_DATABASE = "evoke";

export interface EmbeddedPostgresOptions {
  /** Holds data/ (unless placement.ts keeps it elsewhere), logs/ and the state file. */
  readonly dir: string;
  readonly port: number;
  readonly progress: Progress;
  readonly readyTimeoutMs?: number;
  /** More postgresql.conf settings, as name=value (a test's server with ssl=on and its certificate). */
  readonly settings?: readonly string[];
}

export interface PostgresDetails {
  readonly port: number;
  readonly version: string;
  readonly startMs: number;
  /** Absent in state files written before data could live outside the repository. */
  readonly dataDir?: string;
}

export interface EmbeddedPostgres {
  /** A URL for the `evoke` database on the embedded server (create it with ensureDatabase). */
  readonly url: string;
  readonly lease: Lease<PostgresDetails>;
}

export function embeddedUrl(port: number, database = EMBEDDED_DATABASE): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Spawn options that run a PostgreSQL binary as `runAs`, from a folder it can enter. */
function asServerUser(runAs: RunAs | undefined) {
  return runAs === undefined ? {} : { ...runAs, cwd: "/" };
}

async function initialise(dataDir: string, binaries: PostgresBinaries, runAs: RunAs | undefined, progress: Progress) {
  progress.info(`initialising a new PostgreSQL data directory in ${dataDir}`);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dataDir, "..", "initdb-password");
  await writeFile(passwordFile, `${EMBEDDED_PASSWORD}\n`, { mode: 0o600 });
  if (runAs !== undefined) {
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  await chmod(dataDir, 0o700);
  try {
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${EMBEDDED_USER}`,
        `--pwfile=${passwordFile}`,
        "--auth-host=scram-sha-256",
        "--auth-local=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...asServerUser(runAs), env: { ...process.env, LC_ALL: "C" } },
    );
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    await rm(dataDir, { recursive: true, force: true });
    throw new InfraError(
      `Initialising the embedded PostgreSQL failed: ${(failure.stderr || reason(error)).trim().split("\n").at(-1)}`,
      runAs === undefined
        ? "Check that the data directory (EVOKE_DATA_DIR) is writable, or set DATABASE_URL to a server you run."
        : `The "postgres" system user must be able to run ${binaries.initdb} and write to ${dataDir}; or set DATABASE_URL to a server you run.`,
      { cause: error },
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

const stateFile = (options: EmbeddedPostgresOptions) => join(options.dir, "postgres.json");

/** Where a server keeps its data and, when it is to be started, what runs it and as whom. */
interface ServerPlace {
  readonly dataDir: string;
  /** Absent when the server is only looked up, for its status or to stop it. */
  readonly launch?: { readonly binaries: PostgresBinaries; readonly runAs: RunAs | undefined };
}

/** The server kept in `options.dir`, at `place` (placement.ts decides it). */
function postgresServer(options: EmbeddedPostgresOptions, place: ServerPlace): ManagedServer<PostgresDetails> {
  const { dataDir } = place;
  const logsDir = join(options.dir, "logs");
  const maintenanceUrl = embeddedUrl(options.port, "postgres");

  return {
    label: "embedded PostgreSQL",
    stateFile: stateFile(options),
    // The postmaster's command line names its data directory: a recycled pid will not.
    isOurs: (state) => isProcessRunning(state.pid, dataDir),
    sameAs: (details) => details.port === options.port,
    isHealthy: () =>
      pingDatabase(maintenanceUrl, 3).then(
        () => true,
        () => false,
      ),
    start: async () => {
      await assertPortFree(
        options.port,
        "EMBEDDED_POSTGRES_PORT",
        "Or, to use a PostgreSQL server you already run: DATABASE_URL=postgres://user:password@host:port/evoke npm start.",
      );
      if (place.launch === undefined) throw new Error("a server looked up for its status cannot be started");
      const { binaries, runAs } = place.launch;
      if (!(await exists(join(dataDir, "PG_VERSION")))) await initialise(dataDir, binaries, runAs, options.progress);
      await mkdir(logsDir, { recursive: true });

      const { stdout: versionLine } = await execFileAsync(binaries.postgres, ["--version"], asServerUser(runAs));
      const version = /\d+(\.\d+)?/.exec(versionLine)?.[0] ?? "unknown";

      const began = Date.now();
      const logFile = join(logsDir, "postgres.log");
      const output = openSync(logFile, "a");
      const child = spawn(
        binaries.postgres,
        [
          "-D",
          dataDir,
          "-p",
          String(options.port),
          "-c",
          "listen_addresses=127.0.0.1",
          // TCP only: no socket file to collide with a system server's in /tmp or /var/run.
          "-c",
          "unix_socket_directories=",
          // Services, tests and the dashboard each keep a pool.
          "-c",
          "max_connections=200",
          // The analytics scan whole tables (a million coded sessions is ~200 MB): keep them in
          // PostgreSQL's own cache rather than re-reading them from the OS's (bench/analytics).
          "-c",
          "shared_buffers=512MB",
          // Room for their sorts and hashes in memory (the default 4 MB spills to disk).
          "-c",
          "work_mem=32MB",
          ...(options.settings ?? []).flatMap((setting) => ["-c", setting]),
        ],
        // Its own process group, like the broker: stopped by the supervisor, after the services.
        {
          ...asServerUser(runAs),
          detached: true,
          stdio: ["ignore", output, output],
          env: { ...process.env, LC_ALL: "C" },
        },
      );
      closeSync(output);
      child.unref();
      const pid = child.pid;
      if (pid === undefined)
        throw new InfraError("The embedded PostgreSQL could not be launched.", `Check ${binaries.postgres}.`);
      await waitUntilServing({
        pid,
        label: "The embedded PostgreSQL",
        probe: () => pingDatabase(maintenanceUrl, 2),
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        intervalMs: 100,
        logFiles: [logFile],
      });
      return { pid, details: { port: options.port, version, startMs: Date.now() - began, dataDir } };
    },
    // SIGINT is PostgreSQL's "fast" shutdown (roll back open transactions, checkpoint, exit);
    // SIGQUIT the immediate one, recovered from at the next start.
    stop: (state) =>
      stopProcess(state.pid, {
        signals: [
          { signal: "SIGINT", waitMs: 30_000 },
          { signal: "SIGQUIT", waitMs: 10_000 },
          { signal: "SIGKILL", waitMs: 5_000 },
        ],
      }),
    cleanStale: async () => {
      // A postmaster.pid naming a dead process would make the next start refuse to run.
      const pidFile = join(dataDir, "postmaster.pid");
      const recorded = Number.parseInt((await readFile(pidFile, "utf8").catch(() => "")).split("\n")[0] ?? "", 10);
      if (Number.isInteger(recorded) && !isAlive(recorded)) await rm(pidFile, { force: true });
    },
  };
}

/** Starts the embedded server, or joins the one already running from the same directory. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const binaries = await postgresBinaries();
  const runAs = await postgresRunAs((line) => options.progress.info(line));
  // Decided before the lease, as its checks need the data directory too; under the state
  // file's lock, so two first starts at once agree on it.
  const placement = await withLock(stateFile(options), "embedded PostgreSQL", () =>
    placePostgres(options.dir, binaries, runAs, options.progress),
  );
  const lease = await acquireServer(
    postgresServer(options, { dataDir: placement.dataDir, launch: { binaries: placement.binaries, runAs } }),
  );
  return { url: embeddedUrl(options.port), lease };
}

export async function stopEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<boolean> {
  return forceStopServer(postgresServer(options, { dataDir: await dataDirectory(options.dir) }));
}

export async function embeddedPostgresStatus(options: EmbeddedPostgresOptions) {
  return runningServer(postgresServer(options, { dataDir: await dataDirectory(options.dir) }));
}
