import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pingDatabase } from "@evoke/db";
import { exampleEvent } from "@evoke/events";
import { isAlive } from "@evoke/infra";
import { describeCluster } from "@evoke/kafka";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliRun, isolatedInfrastructure, runInfraCli } from "../support/cli.ts";

/*
 * The promises `npm start` makes about its infrastructure, checked on a real broker and a real
 * PostgreSQL of their own (own data directory, own ports): it comes up and says where; a
 * second start is refused; Ctrl-C leaves no process behind; a killed supervisor's servers are
 * adopted rather than orphaned; stale pid files do not block a start.
 */

interface ServerStates {
  broker: { pid: number; details: { port: number } };
  postgres: { pid: number; details: { port: number } };
}

async function waitUntilGone(pid: number): Promise<void> {
  await expect.poll(() => isAlive(pid), { timeout: 60_000, interval: 100 }).toBe(false);
}

describe("the infrastructure supervisor behind npm start", { timeout: 180_000 }, () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  const runs: CliRun[] = [];

  /** `up` (no services) where a test is about the servers alone: much lighter on a 2-core machine. */
  const start = (command: "start" | "up" = "up") => {
    const run = runInfraCli([command], sandbox.env);
    runs.push(run);
    return run;
  };

  const states = async (): Promise<ServerStates> => ({
    broker: JSON.parse(await readFile(join(sandbox.dataDir, "kafka", "broker.json"), "utf8")),
    postgres: JSON.parse(await readFile(join(sandbox.dataDir, "postgres", "postgres.json"), "utf8")),
  });

  const serversAnswer = async () => {
    await describeCluster([`127.0.0.1:${sandbox.env.KAFKA_PORT}`]);
    await pingDatabase(`postgres://evoke:evoke@127.0.0.1:${sandbox.env.EMBEDDED_POSTGRES_PORT}/evoke`);
  };

  beforeEach(async () => {
    sandbox = await isolatedInfrastructure();
  });

  afterEach(async () => {
    for (const run of runs.splice(0)) run.child.kill("SIGKILL");
    // Whatever a failed test left running is stopped by `down`, then the sandbox removed.
    await runInfraCli(["down"], sandbox.env).exit;
    await sandbox.remove();
  });

  it("comes up with its addresses, refuses a second start, and leaves nothing running after Ctrl-C", async () => {
    const supervisor = start("start");
    await supervisor.waitForOutput("Press Ctrl-C to stop.");
    expect(supervisor.stdout()).toContain(`Kafka       127.0.0.1:${sandbox.env.KAFKA_PORT}`);
    expect(supervisor.stdout()).toContain(`Ingest API  http://127.0.0.1:${sandbox.env.INGEST_PORT}/v1/events`);
    expect(supervisor.stdout()).toContain(
      `postgres://evoke:evoke@127.0.0.1:${sandbox.env.EMBEDDED_POSTGRES_PORT}/evoke`,
    );
    await serversAnswer();
    const { broker, postgres } = await states();
    expect(isAlive(broker.pid) && isAlive(postgres.pid)).toBe(true);

    // The ingest service runs with the demo key it printed, and publishes to the new broker.
    const demoSecret = /Authorization: Bearer (\S+)/.exec(supervisor.stdout())?.[1];
    const ingestUrl = `http://127.0.0.1:${sandbox.env.INGEST_PORT}`;
    const accepted = await fetch(`${ingestUrl}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${demoSecret}`, "content-type": "application/cloudevents+json" },
      body: JSON.stringify(exampleEvent("evoke.client.enrolled")),
    });
    expect(accepted.status).toBe(202);

    const second = start("start");
    expect((await second.exit).code).toBe(1);
    expect(second.stderr()).toContain("Evoke is already running from this directory");
    expect(second.stderr()).not.toMatch(/\n\s+at /); // one clear message, no stack trace

    const status = runInfraCli(["status"], sandbox.env);
    await status.exit;
    expect(status.stdout()).toContain(`Kafka broker       running, pid ${broker.pid}`);

    supervisor.child.kill("SIGINT");
    expect(await supervisor.exit).toEqual({ code: 0, signal: null });
    expect(supervisor.stdout()).toContain("Evoke: stopped.");
    await waitUntilGone(broker.pid);
    await waitUntilGone(postgres.pid);
    await expect(fetch(`${ingestUrl}/healthz`)).rejects.toThrow(); // ingest stopped too
  });

  it("adopts the servers a killed supervisor left running, then stops them on Ctrl-C", async () => {
    const crashed = start();
    await crashed.waitForOutput("Press Ctrl-C to stop.");
    const before = await states();
    crashed.child.kill("SIGKILL");
    await crashed.exit;
    // The servers outlive a SIGKILLed supervisor (they have their own process group)...
    expect(isAlive(before.broker.pid) && isAlive(before.postgres.pid)).toBe(true);

    const next = start();
    await next.waitForOutput("Press Ctrl-C to stop.");
    // ...and the next start takes them over instead of starting a second pair.
    expect(next.stdout()).toContain(`adopting the local Kafka broker already running (pid ${before.broker.pid})`);
    expect(next.stdout()).toContain(`adopting the embedded PostgreSQL already running (pid ${before.postgres.pid})`);

    next.child.kill("SIGTERM");
    expect((await next.exit).code).toBe(0);
    await waitUntilGone(before.broker.pid);
    await waitUntilGone(before.postgres.pid);
  });

  it("starts afresh over stale pid files left by dead processes", async () => {
    const first = start();
    await first.waitForOutput("Press Ctrl-C to stop.");
    first.child.kill("SIGINT");
    await first.exit;

    // A pid that belonged to a process now gone, recorded as the broker, Postgres and supervisor.
    const gone = runInfraCli(["--version-that-does-not-exist"], sandbox.env);
    await gone.exit;
    const deadPid = gone.child.pid ?? 0;
    const stale = { pid: deadPid, users: [deadPid], startedAt: new Date(0).toISOString(), details: {} };
    await writeFile(join(sandbox.dataDir, "kafka", "broker.json"), JSON.stringify(stale));
    await writeFile(join(sandbox.dataDir, "postgres", "postgres.json"), JSON.stringify(stale));
    await writeFile(join(sandbox.dataDir, "supervisor.json"), JSON.stringify({ pid: deadPid, startedAt: "then" }));

    const next = start();
    await next.waitForOutput("Press Ctrl-C to stop.");
    expect(next.stdout()).toContain("started in");
    await serversAnswer();
    next.child.kill("SIGINT");
    expect((await next.exit).code).toBe(0);
  });
});
