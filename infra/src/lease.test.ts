import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InfraError } from "./errors.ts";
import { acquireServer, type ManagedServer, type ServerState } from "./lease.ts";

/*
 * The sharing rules of local servers, with a stand-in server whose health and identity the
 * test controls. "Other processes" are real sleeping child processes, so liveness checks are
 * the real ones.
 */

interface FakeDetails {
  readonly port: number;
}

function fakeServer(stateFile: string, overrides: Partial<ManagedServer<FakeDetails>> = {}) {
  const calls = { start: 0, stop: [] as number[], cleanStale: 0 };
  const server: ManagedServer<FakeDetails> = {
    label: "fake server",
    stateFile,
    isOurs: async () => true,
    sameAs: (details) => details.port === 1234,
    isHealthy: async () => true,
    start: async () => {
      calls.start += 1;
      return { pid: 40_000 + calls.start, details: { port: 1234 } };
    },
    stop: async (state) => {
      calls.stop.push(state.pid);
    },
    cleanStale: async () => {
      calls.cleanStale += 1;
    },
    ...overrides,
  };
  return { server, calls };
}

describe("acquireServer / release", () => {
  let dir: string;
  let stateFile: string;
  const sleepers: ChildProcess[] = [];

  /** A live process that is not us: another Evoke process using the server. */
  const otherProcess = () => {
    const child = spawn("sleep", ["60"], { stdio: "ignore" });
    sleepers.push(child);
    return child.pid ?? 0;
  };

  const writeState = (state: ServerState<FakeDetails>) => writeFile(stateFile, JSON.stringify(state));
  const readState = async () => JSON.parse(await readFile(stateFile, "utf8")) as ServerState<FakeDetails>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "evoke-lease-"));
    stateFile = join(dir, "server.json");
  });

  afterEach(async () => {
    for (const child of sleepers.splice(0)) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("starts a server when none is recorded, and stops it when its only user leaves", async () => {
    const { server, calls } = fakeServer(stateFile);
    const lease = await acquireServer(server);
    expect(lease.outcome).toBe("started");
    expect(await readState()).toMatchObject({ pid: 40_001, users: [process.pid] });

    await lease.release();
    expect(calls.stop).toEqual([40_001]);
    await expect(readFile(stateFile)).rejects.toThrow(/ENOENT/);
  });

  it("shares a healthy server another live process uses, and leaves it running for that process", async () => {
    const other = otherProcess();
    await writeState({ pid: 777, users: [other], startedAt: "", details: { port: 1234 } });
    const { server, calls } = fakeServer(stateFile);

    const lease = await acquireServer(server);
    expect(lease.outcome).toBe("reused");
    expect(calls.start).toBe(0);
    expect((await readState()).users).toEqual([other, process.pid]);

    await lease.release();
    expect(calls.stop).toEqual([]);
    expect(await readState()).toMatchObject({ pid: 777, users: [other] });
  });

  it("adopts a healthy server whose users have all died, and stops it on release", async () => {
    const dead = spawn("true");
    await new Promise((resolve) => dead.on("exit", resolve));
    await writeState({ pid: 777, users: [dead.pid ?? 0], startedAt: "", details: { port: 1234 } });
    const { server, calls } = fakeServer(stateFile);

    const lease = await acquireServer(server);
    expect(lease.outcome).toBe("adopted");
    await lease.release();
    expect(calls.stop).toEqual([777]);
  });

  it("stops a server that is running but not answering, and starts a new one", async () => {
    await writeState({ pid: 777, users: [otherProcess()], startedAt: "", details: { port: 1234 } });
    const { server, calls } = fakeServer(stateFile, { isHealthy: async () => false });

    const lease = await acquireServer(server);
    expect(calls.stop).toEqual([777]);
    expect(lease.outcome).toBe("started");
    expect(lease.state.pid).toBe(40_001);
  });

  it("cleans up after a server that is no longer running and starts a new one", async () => {
    await writeState({ pid: 777, users: [], startedAt: "", details: { port: 1234 } });
    const { server, calls } = fakeServer(stateFile, { isOurs: async () => false });

    const lease = await acquireServer(server);
    expect(calls.cleanStale).toBe(1);
    expect(calls.stop).toEqual([]);
    expect(lease.outcome).toBe("started");
  });

  it("refuses to join a running server started with other settings", async () => {
    await writeState({ pid: 777, users: [otherProcess()], startedAt: "", details: { port: 9999 } });
    const { server, calls } = fakeServer(stateFile);

    await expect(acquireServer(server)).rejects.toThrow(InfraError);
    await expect(acquireServer(server)).rejects.toThrow(/already running \(pid 777\) with different settings/);
    expect(calls.start).toBe(0);
  });

  it("serialises concurrent starts: one server, two users", async () => {
    const { server, calls } = fakeServer(stateFile);
    const [first, second] = await Promise.all([acquireServer(server), acquireServer(server)]);
    expect(calls.start).toBe(1);
    expect([first.outcome, second.outcome].sort()).toEqual(["adopted", "started"]);
  });

  it("breaks a lock left by a dead process", async () => {
    await writeFile(`${stateFile}.lock`, "999999999");
    const { server } = fakeServer(stateFile);
    await expect(acquireServer(server)).resolves.toMatchObject({ outcome: "started" });
  });
});
