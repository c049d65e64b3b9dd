import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type GroundTruth, groundTruth, synthClinic } from "@evoke/synth";
import { type ClinicParameters, clinicOptions } from "@evoke/synth/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMiCli } from "../support/cli.ts";
import { type LivePipeline, startLivePipeline } from "../support/live-pipeline.ts";

/*
 * The whole pipeline, real everything: a synthetic clinic is sent with `pnpm mi seed` over
 * HTTP to the ingest service, through Kafka to the coding and aggregation services (separate
 * processes) into PostgreSQL, and read back from the dashboard's JSON API. Once the pipeline has
 * settled, the API must report exactly what the generator knows happened.
 */

const PARAMETERS: ClinicParameters = { programmes: 2, clients: 90, months: 5, seed: 7, effect: 0.5 };

interface ProgrammeSummary {
  readonly asOf: string;
  readonly programmeId: string;
  readonly sessionsCoded: number;
  readonly humanRated: number;
  readonly clients: number;
  readonly sessionsAttended: number;
  readonly retention: readonly { days: number; retained: { count: number; of: number } }[];
  readonly readinessChange: { n: number; mean: number | null } | null;
}

interface SessionDetail {
  readonly codings: readonly { readonly kind: "automatic" | "human" }[];
}

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

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${pipeline.dashboardUrl}/api/v1${path}`, {
      headers: { authorization: `Bearer ${pipeline.directorToken}` },
    });
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  /** What the dashboard reports, in the shape of the ground truth. */
  const reported = (summary: ProgrammeSummary) => ({
    programmeId: summary.programmeId,
    clients: summary.clients,
    sessionsAttended: summary.sessionsAttended,
    transcriptsCoded: summary.sessionsCoded,
    humanRatings: summary.humanRated,
    retention: summary.retention.map(({ days, retained }) => ({ days, retained: retained.count, of: retained.of })),
    readinessChange: { n: summary.readinessChange?.n ?? 0, mean: summary.readinessChange?.mean ?? null },
  });

  const expected = (truth: GroundTruth) =>
    truth.programmes.map((programme) => ({
      programmeId: programme.programmeId,
      clients: programme.clients,
      sessionsAttended: programme.sessionsAttended,
      // Every transcript coded (a human-rated session counts once, as its human rating).
      transcriptsCoded: programme.transcriptsSubmitted,
      humanRatings: programme.humanRatings,
      retention: programme.retention,
      readinessChange: {
        n: programme.readinessChange.n,
        // PostgreSQL's avg over float8 and JavaScript's sum may differ in the last bits.
        mean: programme.readinessChange.mean === null ? null : expect.closeTo(programme.readinessChange.mean, 9),
      },
    }));

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
    const summaries = () => Promise.all(programmeIds.map((id) => api<ProgrammeSummary>(`/programmes/${id}/summary`)));
    await expect
      .poll(
        async () =>
          (await summaries()).map((summary) => [summary.sessionsCoded, summary.sessionsAttended, summary.clients]),
        { timeout: 180_000, interval: 1_000 },
      )
      .toEqual(
        written.programmes.map((programme) => [
          programme.transcriptsSubmitted,
          programme.sessionsAttended,
          programme.clients,
        ]),
      );

    // Retention depends on the time it is judged at: the truth as of the dashboard's own asOf.
    const final = await summaries();
    const asOf = new Date(final[0]?.asOf ?? "");
    expect(final.map(reported)).toEqual(expected(groundTruth(programmeIds, clinic.episodes, asOf)));

    // A human rating stands in for the session's fidelity, so check those sessions were coded
    // automatically too.
    const rated = clinic.events.filter((event) => event.type === "evoke.fidelity.rated");
    expect(rated.length).toBeGreaterThan(0);
    for (const event of rated) {
      const sessionId = (event.data as { sessionId: string }).sessionId;
      const { codings } = await api<SessionDetail>(`/sessions/${sessionId}`);
      expect(codings.map((coding) => coding.kind).sort(), sessionId).toEqual(["automatic", "human"]);
    }
  });
});
