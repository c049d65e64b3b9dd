import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isAlive, REPO_ROOT } from "@evoke/infra";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolatedInfrastructure, runInfraCli } from "../support/cli.ts";

/*
 * `npm start` is a chain of processes (npm → sh → infra/bootstrap.mjs → the supervisor) in
 * front of a broker and a PostgreSQL in their own process groups. Whichever way a person stops
 * it, nothing may be left running.
 */

describe("npm start", { timeout: 180_000 }, () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  let npm: ChildProcess | undefined;

  beforeEach(async () => {
    sandbox = await isolatedInfrastructure();
  });

  afterEach(async () => {
    // Whatever is left of the process group after a failed test (it outlives npm itself).
    try {
      if (npm?.pid !== undefined) process.kill(-npm.pid, "SIGKILL");
    } catch {
      // ESRCH: the group is empty, as it should be.
    }
    await runInfraCli(["down"], sandbox.env).exit;
    await sandbox.remove();
  });

  async function startNpm() {
    // A process group of its own, like a terminal's foreground job.
    npm = spawn("npm", ["start"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...sandbox.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    npm.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    const exited = once(npm, "exit");
    await expect.poll(() => output, { timeout: 120_000, interval: 100 }).toContain("Press Ctrl-C to stop.");
    const pids = await Promise.all(
      [join(sandbox.dataDir, "kafka", "broker.json"), join(sandbox.dataDir, "postgres", "postgres.json")].map(
        async (file) => (JSON.parse(await readFile(file, "utf8")) as { pid: number }).pid,
      ),
    );
    const supervisor = (JSON.parse(await readFile(join(sandbox.dataDir, "supervisor.json"), "utf8")) as { pid: number })
      .pid;
    return { pids: [...pids, supervisor], exited, output: () => output };
  }

  it("leaves no process behind after Ctrl-C in its terminal", async () => {
    const run = await startNpm();
    expect(run.pids.every(isAlive)).toBe(true);
    process.kill(-(npm?.pid ?? 0), "SIGINT"); // what a terminal's Ctrl-C does: the whole group
    await run.exited;
    await expect.poll(() => run.pids.filter(isAlive), { timeout: 60_000 }).toEqual([]);
    expect(run.output()).toContain("Evoke: stopped.");
  });

  it("leaves no process behind when only npm is killed", async () => {
    const run = await startNpm();
    npm?.kill("SIGTERM");
    await run.exited;
    await expect.poll(() => run.pids.filter(isAlive), { timeout: 60_000 }).toEqual([]);
  });
});
