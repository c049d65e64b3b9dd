import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type GroundTruth, groundTruth, synthClinic } from "@evoke/synth";
import { type ClinicParameters, clinicOptions } from "@evoke/synth/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMiCli } from "../support/cli.ts";
import { expectGroundTruth, expectRatedSessionsCodedAutomatically, waitUntilSettled } from "../support/ground-truth.ts";
import { type LivePipeline, startLivePipeline } from "../support/live-pipeline.ts";

/*
 * The whole pipeline, real everything: a synthetic clinic is sent with `pnpm mi seed` over
 * HTTP to the ingest service, through Kafka to the coding and aggregation services (separate
 * processes) into PostgreSQL, and read back from the dashboard's JSON API. Once the pipeline has
 * settled, the API must report exactly what the generator knows happened.
 */

const PARAMETERS: ClinicParameters = { programmes: 2, clients: 90, months: 5, seed: 7, effect: 0.5 };

describe("a seeded clinic, end to end", { timeout: 300_000 }, () => {
  let pipeline: LivePipeline;
  let truthFile: string;

  beforeAll(async () => {
    pipeline = await startLivePipeline();
    truthFile = join(pipeline.dataDir, "truth.json");
  });

  afterAll(async () => {
    await pipeline?.close();
  });

  it("reports exactly the generator's ground truth once the pipeline settles, every transcript coded", async () => {
    const seed = runMiCli(
      [
        "seed",
        ...Object.entries(PARAMETERS).flatMap(([name, value]) => [`--${name}`, String(value)]),
        "--ingest",
        pipeline.ingestUrl,
        "--key",
        pipeline.ingestKey,
        "--truth",
        truthFile,
        "--state",
        join(pipeline.dataDir, "seed-state.json"),
      ],
      { EVOKE_DATA_DIR: pipeline.dataDir },
    );
    const { code } = await seed.exit;
    expect(code, seed.stderr()).toBe(0);
    expect(seed.stderr()).toMatch(/Sent [\d,]+ events to http:\/\/127\.0\.0\.1:\d+\. Ground truth: /);

    const written = JSON.parse(await readFile(truthFile, "utf8")) as GroundTruth & { now: string; events: number };
    const programmeIds = written.programmes.map((programme) => programme.programmeId);
    expect(programmeIds).toEqual(["prg_alcohol", "prg_smoking"]);
    const clinic = synthClinic(clinicOptions(PARAMETERS, new Date(written.now)));
    expect(clinic.events).toHaveLength(written.events);
    // The file holds the truth as of the generation time, as the generator works it out.
    expect(written.programmes).toEqual(groundTruth(programmeIds, clinic.episodes, new Date(written.now)).programmes);
    expect(written.programmes.every((programme) => programme.transcriptsSubmitted > 50)).toBe(true);

    // Settled: every transcript coded and every attended session counted, in every programme.
    await waitUntilSettled(pipeline, written, { timeoutMs: 180_000 });
    await expectGroundTruth(pipeline, programmeIds, clinic.episodes);
    await expectRatedSessionsCodedAutomatically(pipeline, clinic.events);
  });
});
