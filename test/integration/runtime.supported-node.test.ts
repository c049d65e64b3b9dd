import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "@evoke/infra";
import { afterEach, describe, expect, it } from "vitest";
import { evokeEnv, isolatedInfrastructure, runInfraCli } from "../support/cli.ts";
import { commandsRunning, nodeBinary } from "../support/node-binaries.ts";

const execFileAsync = promisify(execFile);

/*
 * Evoke supports Node 22 and 24 LTS (package.json's engines, .nvmrc), while these machines and
 * CI run Node 20. Under each supported line, fetched from the npm registry: a quick part of the
 * unit suite passes, and `node infra/bootstrap.mjs start --no-demo` (npm start) brings the
 * pipeline up, with every service on that Node, and stops it cleanly.
 */

/** Unit suites that touch the runtime's edges: config, TLS options, the event contract, bootstrap. */
const QUICK_UNITS = ["packages/config", "packages/db/src/ssl.test.ts", "packages/events", "infra/bootstrap"];

const SERVICES = [
  "services/ingest/src/main.ts",
  "services/coding/src/main.ts",
  "services/aggregation/src/main.ts",
  "dashboard/src/main.ts",
];

describe.each([24, 22])("under Node %i", { timeout: 240_000 }, (major) => {
  let start: ChildProcess | undefined;
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>> | undefined;

  afterEach(async () => {
    try {
      if (start?.pid !== undefined) process.kill(-start.pid, "SIGKILL");
    } catch {
      // ESRCH: stopped as it should have.
    }
    if (sandbox !== undefined) {
      await runInfraCli(["down"], sandbox.env).exit;
      await sandbox.remove();
    }
  });

  it("passes the quick unit suites", async () => {
    const node = await nodeBinary(major);
    const { stdout } = await execFileAsync(
      node,
      [join(REPO_ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--project", "unit", ...QUICK_UNITS],
      // A failing suite exits non-zero, which rejects; the count proves suites ran at all.
      { cwd: REPO_ROOT, env: evokeEnv({ NO_COLOR: "1" }), maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/Tests\s+\d+ passed/);
    expect(stdout).not.toMatch(/failed/);
  });

  it("starts with npm start's entry point, every service on it, and stops on Ctrl-C", async () => {
    const node = await nodeBinary(major);
    sandbox = await isolatedInfrastructure();
    // Its bin folder first on the PATH: what `nvm use` does.
    const env = evokeEnv({ ...sandbox.env, PATH: `${dirname(node)}:${process.env.PATH ?? ""}` });
    start = spawn(node, [join(REPO_ROOT, "infra", "bootstrap.mjs"), "start", "--no-demo"], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    start.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    start.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    const exited = once(start, "exit");
    await expect.poll(() => output, { timeout: 150_000, interval: 200 }).toContain("Press Ctrl-C to stop.");
    expect(output).not.toContain("past end of life");

    const onThisNode = await commandsRunning(node, "EVOKE_DATA_DIR", sandbox.dataDir);
    for (const service of SERVICES) expect(onThisNode.some((command) => command.endsWith(service))).toBe(true);

    process.kill(-(start.pid ?? 0), "SIGINT");
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
