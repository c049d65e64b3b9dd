import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isAlive, REPO_ROOT } from "@evoke/infra";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evokeEnv, isolatedInfrastructure, runInfraCli } from "../support/cli.ts";

/*
 * `npm start` is a chain of processes (npm → sh → infra/bootstrap.mjs → the supervisor) in
 * front of a broker and a PostgreSQL in their own process groups, and the services. It brings
 * up the dashboard with the demo clinic sent through the whole pipeline, and whichever way a
 * person stops it, nothing may be left running.
 */

interface Programme {
  readonly programmeId: string;
  readonly sessionsCoded: number;
  readonly humanRated: number;
}

describe("npm start", { timeout: 360_000 }, () => {
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

  async function startNpm(env: Record<string, string> = {}, args: readonly string[] = []) {
    // A process group of its own, like a terminal's foreground job.
    npm = spawn("npm", ["start", ...(args.length === 0 ? [] : ["--", ...args])], {
      cwd: REPO_ROOT,
      env: evokeEnv({ ...sandbox.env, ...env }),
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

  it("serves the dashboard with the demo clinic coded and aggregated, and leaves no process behind after Ctrl-C", async () => {
    // Answers fresh on every poll: the dashboard's 30 s answer cache would otherwise let a poll see
    // a minute-old state of a pipeline that is still catching up.
    const run = await startNpm({ EVOKE_DEMO: "1", DASHBOARD_CACHE_SECONDS: "0" });
    const dashboard = `http://127.0.0.1:${sandbox.env.DASHBOARD_PORT}`;
    const output = run.output();
    expect(output).toContain(`Dashboard   ${dashboard}`);
    expect(output).toMatch(/Demo data {3}[\d,]+ events of a demo clinic sent through ingest/);
    const director = /"demo-director" \(demo director, all programmes\): (\S+)/.exec(output)?.[1] ?? "";
    expect(director).toHaveLength(32);

    expect((await fetch(`${dashboard}/sign-in`)).status).toBe(200);
    const programmes = (token: string) =>
      fetch(`${dashboard}/api/v1/programmes`, { headers: { authorization: `Bearer ${token}` } });
    expect((await programmes(`${director}-not`)).status).toBe(401);

    // The demo clinic went ingest → Kafka → coding → aggregation → PostgreSQL: each programme
    // shows up with sessions the coding service coded (not only the human-rated ones). Alone this
    // takes about 40 s; beside the rest of the suite on two cores, coding runs several times slower.
    await expect
      .poll(
        async () => {
          const response = await programmes(director);
          if (response.status !== 200) return `HTTP ${response.status}`;
          return ((await response.json()) as Programme[])
            .filter((programme) => programme.sessionsCoded > programme.humanRated)
            .map((programme) => programme.programmeId)
            .sort();
        },
        { timeout: 180_000, interval: 1_000 },
      )
      .toEqual(["prg_alcohol", "prg_diet", "prg_smoking"]);

    // The analyst token kept beside it sees its one programme only.
    const tokens = await readFile(join(sandbox.dataDir, "demo-dashboard-tokens"), "utf8");
    const analyst = /^demo-analyst:([^:]+):analyst:prg_alcohol$/m.exec(tokens)?.[1] ?? "";
    const seen = (await (await programmes(analyst)).json()) as Programme[];
    expect(seen.map((programme) => programme.programmeId)).toEqual(["prg_alcohol"]);

    expect(run.pids.every(isAlive)).toBe(true);
    process.kill(-(npm?.pid ?? 0), "SIGINT"); // what a terminal's Ctrl-C does: the whole group
    await run.exited;
    await expect.poll(() => run.pids.filter(isAlive), { timeout: 60_000 }).toEqual([]);
    expect(run.output()).toContain("Evoke: stopped.");
    await expect(fetch(`${dashboard}/healthz`)).rejects.toThrow(); // the dashboard stopped too
  });

  it("leaves no process behind when only npm is killed", async () => {
    const run = await startNpm({ EVOKE_DEMO: "1" }, ["--no-demo"]);
    expect(run.output()).toContain("Demo data   off (--no-demo or EVOKE_DEMO=0)");
    npm?.kill("SIGTERM");
    await run.exited;
    await expect.poll(() => run.pids.filter(isAlive), { timeout: 60_000 }).toEqual([]);
  });
});
