import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { openPostgres } from "@evoke/db";
import { isAlive, REPO_ROOT } from "@evoke/infra";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import "../setup/provided-context.ts";
import { type CliRun, freePort, runInfraCliOf } from "../support/cli.ts";

const execFileAsync = promisify(execFile);

/*
 * A repository cloned by root into root's home (mode 0700): PostgreSQL, which refuses to run
 * as root, runs as the "postgres" user, which can enter neither the repository's
 * node_modules (its binaries) nor infra/.data (its data). `npm start` must still work, keeping
 * both under /var/lib/evoke, and `pnpm infra status`, `down` and the next start must find them.
 * Checked on a copy of this checkout, with its own node_modules, inside a private folder.
 */

/** How this test runs commands as root: directly as root, or through password-less sudo. */
function rootCommand(): readonly string[] | undefined {
  if (process.getuid?.() === 0) return [];
  return spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0 ? ["sudo", "-n"] : undefined;
}

const asRoot = rootCommand();

/** This checkout's files (committed or not, ignored ones left out) copied to `into`. */
async function copyCheckout(into: string): Promise<void> {
  const { stdout } = await execFileAsync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  // --cached also lists files deleted from the working tree but not yet from the index.
  const files = stdout.split("\0").filter((file) => file !== "" && existsSync(join(REPO_ROOT, file)));
  await Promise.all(
    files.map(async (file) => {
      await mkdir(dirname(join(into, file)), { recursive: true });
      await copyFile(join(REPO_ROOT, file), join(into, file));
    }),
  );
}

/** Installs the copy's dependencies as npm start would, from pnpm's store where it can. */
async function install(repository: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { packageManager: string };
  await execFileAsync("npx", ["--yes", manifest.packageManager, "install", "--frozen-lockfile", "--prefer-offline"], {
    cwd: repository,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Waits for `pnpm infra up` to be up, failing at once if it stops first. */
async function whenUp(run: CliRun): Promise<void> {
  const outcome = await Promise.race([run.waitForOutput("Press Ctrl-C to stop.").then(() => "up" as const), run.exit]);
  if (outcome !== "up") throw new Error(`pnpm infra up stopped (exit code ${outcome.code}): ${run.stderr().trim()}`);
}

async function postgresUid(): Promise<number> {
  return Number.parseInt((await execFileAsync("id", ["-u", "postgres"])).stdout, 10);
}

describe.skipIf(asRoot === undefined)(
  "a repository the postgres user cannot enter (cloned as root into /root)",
  { timeout: 180_000 },
  () => {
    const root = asRoot ?? [];
    let home: string;
    let repository: string;
    let env: Record<string, string>;
    const runs: CliRun[] = [];
    const cli = (...args: string[]) => {
      const run = runInfraCliOf(repository, args, env, root);
      runs.push(run);
      return run;
    };
    const url = () => `postgres://evoke:evoke@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/evoke`;
    const pointer = () => join(repository, "infra", ".data", "postgres", "data-directory");

    beforeAll(async () => {
      // mkdtemp makes it 0700, as root's home is: only its owner (and root) may enter.
      home = await mkdtemp(join(tmpdir(), "evoke-private-home-"));
      expect((await stat(home)).mode & 0o777).toBe(0o700);
      repository = join(home, "evoke");
      await copyCheckout(repository);
      await install(repository);
      env = {
        // The suite's broker: this test is about PostgreSQL.
        KAFKA_BROKERS: inject("kafkaBrokers").join(","),
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
        EVOKE_DEMO: "0",
        LOG_LEVEL: "warn",
      };
    });

    afterAll(async () => {
      for (const run of runs) run.child.kill("SIGKILL");
      if (repository === undefined) return;
      await cli("down").exit;
      // The data folder outside the repository is this copy's alone; the binaries' copy is
      // shared by every repository of the machine, so it stays.
      const outside = existsSync(pointer()) ? dirname((await readFile(pointer(), "utf8")).trim()) : undefined;
      const [command = "rm", ...args] = [...root, "rm", "-rf", home, ...(outside ? [outside] : [])];
      spawnSync(command, args);
    });

    it("starts PostgreSQL with its binaries and data under /var/lib/evoke, which status, down and the next start find", async () => {
      const first = cli("up");
      await whenUp(first);
      const dataDir = (await readFile(pointer(), "utf8")).trim();
      expect(dataDir).toMatch(/^\/var\/lib\/evoke\/[0-9a-f]{12}\/data$/);
      expect(first.stdout()).toContain(`PostgreSQL keeps its data in ${dataDir}`);

      // Root-owned folders every user may traverse; only the data directory is postgres's, 0700.
      const outside = await stat(dirname(dataDir));
      expect({ uid: outside.uid, mode: outside.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
      const data = await stat(dataDir);
      expect({ uid: data.uid, mode: data.mode & 0o777 }).toEqual({ uid: await postgresUid(), mode: 0o700 });

      // The server answers, runs from the copied binaries, and keeps its data where it said.
      const state = JSON.parse(await readFile(join(repository, "infra", ".data", "postgres", "postgres.json"), "utf8"));
      const server: number = state.pid;
      const serverCommand = (await readFile(`/proc/${server}/cmdline`, "utf8")).replaceAll("\0", " ");
      expect(serverCommand).toMatch(/^\/var\/lib\/evoke\/postgresql-[^/]+\/bin\/postgres -D /);
      const sql = openPostgres(url(), { max: 1, onnotice: () => undefined });
      try {
        const [setting] = await sql<
          { dataDirectory: string }[]
        >`select current_setting('data_directory') as "dataDirectory"`;
        expect(setting?.dataDirectory).toBe(dataDir);
        await sql`create table kept_across_starts (note text)`;
        await sql`insert into kept_across_starts values ('written by the first start')`;
      } finally {
        await sql.end();
      }

      const status = cli("status");
      await status.exit;
      expect(status.stdout()).toContain(`Embedded Postgres  running, pid ${server}`);
      expect(status.stdout()).toContain(`data in ${dataDir}`);

      // A supervisor killed outright leaves the server running (its own process group)...
      first.child.kill("SIGKILL");
      await first.exit;
      expect(isAlive(server)).toBe(true);
      // ...and `down` finds it and stops it.
      const down = cli("down");
      expect((await down.exit).code).toBe(0);
      expect(down.stdout()).toContain("Embedded PostgreSQL stopped.");
      await expect.poll(() => isAlive(server), { timeout: 30_000 }).toBe(false);

      // The next start uses the same data directory, with what the first one wrote.
      const second = cli("up");
      await whenUp(second);
      expect(second.stdout()).toContain(`PostgreSQL keeps its data in ${dataDir}`);
      expect(second.stdout()).not.toContain("initialising a new PostgreSQL data directory");
      const again = openPostgres(url(), { max: 1 });
      try {
        expect(await again`select note from kept_across_starts`).toEqual([{ note: "written by the first start" }]);
      } finally {
        await again.end();
      }
      const restarted: number = JSON.parse(
        await readFile(join(repository, "infra", ".data", "postgres", "postgres.json"), "utf8"),
      ).pid;
      second.child.kill("SIGINT");
      expect((await second.exit).code).toBe(0);
      await expect.poll(() => isAlive(restarted), { timeout: 30_000 }).toBe(false);
    });
  },
);
