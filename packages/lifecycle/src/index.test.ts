import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const FIXTURE = fileURLToPath(new URL("./wait-for-shutdown.fixture.ts", import.meta.url));

function launch(mode: "normal" | "slow" | "stuck") {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  return { child, output: () => output, exit: once(child, "exit") };
}

describe("shutdownSignal in a real process", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("aborts on %s and lets the process finish and exit 0", async (signal) => {
    const run = launch("normal");
    await expect.poll(run.output, { timeout: 15_000 }).toContain("ready");
    run.child.kill(signal);
    const [code] = await run.exit;
    expect(code).toBe(0);
    expect(run.output()).toContain(`stopping on ${signal}`);
  });

  it("exits at once with 130 on a second Ctrl-C while a slow shutdown is under way", async () => {
    const run = launch("slow");
    await expect.poll(run.output, { timeout: 15_000 }).toContain("ready");
    run.child.kill("SIGINT");
    await expect.poll(run.output, { timeout: 5_000 }).toContain("stopping on SIGINT");
    run.child.kill("SIGINT");
    const [code] = await run.exit;
    expect(code).toBe(130);
  });

  it("exits with 1 once the shutdown deadline passes, when a shutdown never finishes", async () => {
    const run = launch("stuck");
    await expect.poll(run.output, { timeout: 15_000 }).toContain("ready");
    const started = Date.now();
    run.child.kill("SIGTERM");
    const [code] = await run.exit;
    expect(code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
