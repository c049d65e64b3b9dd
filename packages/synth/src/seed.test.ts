import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { synthClinic } from "./clinic.ts";
import { type ClinicParameters, clinicOptions, seedClinic } from "./seed.ts";
import { fakeIngest } from "./testing/fake-ingest.ts";

const PARAMETERS: ClinicParameters = { programmes: 1, clients: 12, months: 3, seed: 4, effect: 0.5 };

describe("seedClinic", () => {
  let dir: string;
  const servers: Server[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "evoke-seed-"));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it("resumes an interrupted run after the last acknowledged batch, then knows the clinic was sent", async () => {
    const ingest = await fakeIngest(() => ({ status: 202 }));
    servers.push(ingest.server);
    const files = { stateFile: join(dir, "state.json"), truthFile: join(dir, "truth.json") };
    const target = { url: ingest.url, apiKey: "k" };

    // Interrupted once 20 events are acknowledged (the rate makes batches of 10).
    const controller = new AbortController();
    const first = seedClinic({
      parameters: PARAMETERS,
      target,
      ...files,
      rate: 100,
      signal: controller.signal,
      onProgress: (acknowledged) => {
        if (acknowledged >= 20) controller.abort();
      },
    });
    await expect(first).rejects.toThrow();
    const state = JSON.parse(await readFile(files.stateFile, "utf8")) as { now: string; acknowledged: number };
    expect(state.acknowledged).toBe(20);

    const second = await seedClinic({ parameters: PARAMETERS, target, ...files });
    expect(second).toMatchObject({ kind: "sent", resumedAt: 20 });
    // The same clinic (same `now`), every event exactly once across both runs.
    const expected = synthClinic(clinicOptions(PARAMETERS, new Date(state.now))).events.map((event) => event.id);
    expect(ingest.received.flatMap((batch) => batch.ids)).toEqual(expected);

    expect(await seedClinic({ parameters: PARAMETERS, target, ...files })).toEqual({
      kind: "already-sent",
      total: expected.length,
    });
    const truth = JSON.parse(await readFile(files.truthFile, "utf8")) as { now: string; events: number };
    expect(truth).toMatchObject({ now: state.now, events: expected.length });
  });

  it("starts over when the parameters differ from the state file's", async () => {
    const ingest = await fakeIngest(() => ({ status: 202 }));
    servers.push(ingest.server);
    const files = { stateFile: join(dir, "state.json"), truthFile: join(dir, "truth.json") };
    const target = { url: ingest.url, apiKey: "k" };
    await seedClinic({ parameters: PARAMETERS, target, ...files });
    const other = await seedClinic({ parameters: { ...PARAMETERS, clients: 5 }, target, ...files });
    expect(other).toMatchObject({ kind: "sent", resumedAt: 0 });
  });
});
