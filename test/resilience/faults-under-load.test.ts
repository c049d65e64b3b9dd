import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { listDeadLetters } from "@evoke/aggregation";
import { connectDatabase } from "@evoke/db";
import { TOPICS } from "@evoke/events";
import { REPO_ROOT } from "@evoke/infra";
import { createKafkaClient } from "@evoke/kafka";
import { groundTruth, synthClinic } from "@evoke/synth";
import { type ClinicParameters, clinicOptions } from "@evoke/synth/seed";
import { sendEvents, structuredJson } from "@evoke/synth/send";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DashboardAccess,
  dashboardApi,
  expectGroundTruth,
  expectRatedSessionsCodedAutomatically,
  programmeSummaries,
  waitUntilSettled,
} from "../support/ground-truth.ts";
import { type LivePipeline, type ServiceName, startLivePipeline } from "../support/live-pipeline.ts";

/*
 * Issue 7's faults, under load: while a synthetic clinic streams through ingest at a steady
 * rate, each service in turn is SIGKILLed and started again, then the broker is restarted, then
 * PostgreSQL. Nothing is helped along: the sender retries as any sending system would, and the
 * services must find their way back by themselves. Once the rest of the clinic is sent and the
 * pipeline has settled, the dashboard must report exactly the generator's ground truth: nothing
 * lost, nothing counted twice, no acknowledged event missing, nothing dead-lettered.
 *
 * What each fault cost is measured from outside, as a user of the pipeline would see it, and
 * written to test/artifacts/resilience-faults.json. The consumers' faults are the dear ones:
 * a SIGKILLed coding or aggregation instance leaves a member in its group that only kafkajs's
 * 30 s session timeout removes, so its successor waits about that long to join; likewise after a
 * broker restart, where the consumers' old members come back with the group and must expire.
 */

const PARAMETERS: ClinicParameters = { programmes: 2, clients: 200, months: 6, seed: 11, effect: 0.5 };

/**
 * Events a second while the faults happen. Slow enough that the clinic (about 4,100 events,
 * four and a half minutes' worth) outlasts every fault on a machine shared with other suites,
 * so each fault meets events in flight; once the faults are over, the rest is sent at full speed.
 * (The sender batches a tenth of a second's events: 15 a second makes batches of two.)
 */
const RATE = 15;

/** An acknowledgement this far behind the sender's schedule counts as delayed. */
const LATE_MS = 1_000;

/** How long the broker and the database stay down before they are started again. */
const DOWN_MS = 3_000;

const SERVICES: readonly ServiceName[] = ["ingest", "coding", "aggregation", "dashboard"];

interface Fault {
  readonly name: string;
  /** Injects the fault and resolves once the service is healthy again, or the broker / database back. */
  readonly inject: (pipeline: LivePipeline) => Promise<void>;
}

const killAndStart =
  (name: ServiceName): Fault["inject"] =>
  async (pipeline) => {
    await pipeline.kill(name);
    await pipeline.start(name);
  };

const FAULTS: readonly Fault[] = [
  { name: "SIGKILL ingest", inject: killAndStart("ingest") },
  { name: "SIGKILL coding", inject: killAndStart("coding") },
  { name: "SIGKILL aggregation", inject: killAndStart("aggregation") },
  { name: "SIGKILL dashboard", inject: killAndStart("dashboard") },
  { name: "restart broker", inject: (pipeline) => pipeline.restartBroker(DOWN_MS) },
  { name: "restart PostgreSQL", inject: (pipeline) => pipeline.restartPostgres(DOWN_MS) },
];

/** What one fault cost. Times in milliseconds from the moment the fault began. */
interface FaultCost {
  readonly fault: string;
  /** When the fault began, in seconds after sending began. */
  readonly atSeconds: number;
  /** Events ingest had acknowledged when it began. */
  readonly acknowledgedBefore: number;
  /** Until the service answered its health check again (or the broker / database was back). */
  readonly recoveredMs: number;
  /**
   * The longest wait between acknowledgements, from the last one before the fault until the
   * next fault (a tenth of a second or so when nothing holds them back).
   */
  readonly acknowledgementsStalledMs: number;
  /** Events acknowledged more than LATE_MS behind the sender's schedule because of this fault (see lateEventsByFault). */
  readonly eventsAcknowledgedLate: number;
  /**
   * Until the dashboard's figures had both moved again after recovery: sessions coded (through
   * coding and aggregation) and attended sessions plus clients (through aggregation alone).
   */
  readonly figuresMovingAgainMs: number;
  /**
   * Most messages waiting for the coding / aggregation groups (the dashboard's consumer lag),
   * until the next fault; null when the dashboard gave no reading in that time.
   */
  readonly peakCodingLag: number | null;
  readonly peakAggregationLag: number | null;
}

/** A fault as it happened, on the test's clock. */
interface FaultRecord {
  readonly name: string;
  readonly began: number;
  readonly acknowledgedBefore: number;
  readonly recovered: number;
  /** When both dashboard figures had moved again after recovery. */
  readonly movedAgain: number;
}

const now = () => performance.now();

interface Acknowledgement {
  readonly at: number;
  /** When the sender meant to send the batch (its rate schedule). */
  readonly due: number;
  readonly events: number;
  readonly acknowledged: number;
}

interface FigureSample {
  readonly at: number;
  /** Sessions coded, summed over the programmes; undefined: the dashboard did not answer. */
  readonly coded?: number;
  /** Attended sessions and clients, summed over the programmes. */
  readonly recorded?: number;
}

interface LagSample {
  readonly at: number;
  readonly coding: number;
  readonly aggregation: number;
}

interface PipelineHealth {
  readonly consumerLag:
    | { readonly available: true; readonly value: readonly { groupId: string; totalLag: number }[] }
    | { readonly available: false };
}

/**
 * Samples the dashboard's figures every second and its consumer lag every two, each loop
 * on its own so a slow answer (Kafka away) holds up only its own kind. Failed answers are kept
 * as gaps: they are part of what a fault costs.
 */
function watchDashboard(dashboard: DashboardAccess, programmeIds: readonly string[]) {
  const figures: FigureSample[] = [];
  const lags: LagSample[] = [];
  let watching = true;
  const loop = async (intervalMs: number, sample: (signal: AbortSignal) => Promise<void>) => {
    while (watching) {
      const began = now();
      await sample(AbortSignal.timeout(3_000)).catch(() => undefined);
      await sleep(Math.max(0, intervalMs - (now() - began)));
    }
  };
  const loops = Promise.all([
    loop(1_000, async (signal) => {
      const at = now();
      try {
        const summaries = await programmeSummaries(dashboard, programmeIds, { signal });
        const sum = (of: (summary: (typeof summaries)[number]) => number) =>
          summaries.reduce((total, summary) => total + of(summary), 0);
        figures.push({
          at,
          coded: sum((summary) => summary.sessionsCoded),
          recorded: sum((summary) => summary.sessionsAttended + summary.clients),
        });
      } catch {
        figures.push({ at });
      }
    }),
    loop(2_000, async (signal) => {
      const at = now();
      const { consumerLag } = await dashboardApi<PipelineHealth>(dashboard, "/pipeline?hours=1", { signal });
      if (!consumerLag.available) return;
      const groups = consumerLag.value;
      const lagOf = (groupId: string) => groups.find((group) => group.groupId === groupId)?.totalLag ?? 0;
      lags.push({ at, coding: lagOf("coding"), aggregation: lagOf("aggregation") });
    }),
  ]);
  const answered = (sample: FigureSample): sample is Required<FigureSample> => sample.coded !== undefined;
  return {
    figures,
    lags,
    /**
     * When both figures had moved past what the dashboard last showed at or before `since`, or
     * undefined if they have not (yet).
     */
    movedAgainAfter(since: number): number | undefined {
      const baseline = figures.filter((sample) => sample.at <= since && answered(sample)).at(-1);
      const later = figures.filter((sample) => sample.at > since && answered(sample)) as Required<FigureSample>[];
      const coded = later.find((sample) => sample.coded > (baseline?.coded ?? 0));
      const recorded = later.find((sample) => sample.recorded > (baseline?.recorded ?? 0));
      return coded === undefined || recorded === undefined ? undefined : Math.max(coded.at, recorded.at);
    },
    async stop() {
      watching = false;
      await loops;
    },
  };
}

/*
 * About three minutes on an idle two-core machine, most of it the consumers' rejoins (see
 * above); the bound leaves room for a machine shared with other suites.
 */
describe("the pipeline under load, through a fault in every part", { timeout: 420_000 }, () => {
  let pipeline: LivePipeline;

  beforeAll(async () => {
    pipeline = await startLivePipeline();
  });

  afterAll(async () => {
    await pipeline?.close();
  });

  it("recovers from each fault by itself and then reports exactly the ground truth, nothing dead-lettered", async ({
    onTestFailed,
    onTestFinished,
  }) => {
    // The services' logs go with the pipeline's data directory: show their ends while they exist.
    onTestFailed(async () => {
      for (const name of SERVICES) {
        const lines = (await readFile(pipeline.logFile(name), "utf8").catch(() => "")).trimEnd().split("\n");
        console.error(`[resilience] ${name} log, last lines:\n${lines.slice(-15).join("\n")}`);
      }
    });
    const clinic = synthClinic(clinicOptions(PARAMETERS, new Date()));
    const programmeIds = clinic.roster.programmes.map((programme) => programme.id);
    const truth = groundTruth(programmeIds, clinic.episodes, clinic.now);
    const events = clinic.events.map(structuredJson);
    const target = { url: pipeline.ingestUrl, apiKey: pipeline.ingestKey };
    const transcripts = clinic.events.filter((event) => event.type === "evoke.transcript.submitted").length;
    // Enough that the steady rate outlasts the faults (see RATE).
    expect(events.length / RATE).toBeGreaterThan(240);

    // Until the first events arrive the programmes are unknown to the dashboard (404): no
    // answer counts as nothing yet.
    const dashboard = watchDashboard(pipeline, programmeIds);
    onTestFinished(() => dashboard.stop());

    const acknowledgements: Acknowledgement[] = [];
    const acknowledged = () => acknowledgements.at(-1)?.acknowledged ?? 0;
    const steady = new AbortController();
    onTestFinished(() => steady.abort());
    const sendingBegan = now();
    const sending = sendEvents(events, target, {
      rate: RATE,
      signal: steady.signal,
      // Long enough to wait out any fault here; short enough to fail inside the test's time.
      patienceMs: 120_000,
      onAcknowledged: (total) => {
        const previous = acknowledged();
        acknowledgements.push({
          at: now(),
          due: sendingBegan + (previous / RATE) * 1_000,
          events: total - previous,
          acknowledged: total,
        });
      },
    }).catch((error: unknown) => {
      if (!steady.signal.aborted) throw error;
    });

    /** Waits until ingest acknowledged more and both dashboard figures moved, since `since`; returns when they had. */
    const untilFlowing = async (since: number, after: string): Promise<number> => {
      await expect
        .poll(
          () =>
            acknowledgements.some((acknowledgement) => acknowledgement.at > since) &&
            dashboard.movedAgainAfter(since) !== undefined,
          { timeout: 90_000, interval: 250, message: `events did not flow again after ${after}` },
        )
        .toBe(true);
      return dashboard.movedAgainAfter(since) ?? Number.NaN;
    };
    const secondsIn = (at: number) => ((at - sendingBegan) / 1_000).toFixed(1);

    const faults: FaultRecord[] = [];
    await untilFlowing(sendingBegan, "the start");
    for (const fault of FAULTS) {
      // Under load: more was acknowledged since the last fault (untilFlowing), and events are
      // still being sent.
      const acknowledgedBefore = acknowledged();
      expect(acknowledgedBefore, fault.name).toBeLessThan(events.length);
      const began = now();
      await fault.inject(pipeline);
      const recovered = now();
      console.log(
        `[resilience] ${fault.name} at ${secondsIn(began)} s: back after ${((recovered - began) / 1_000).toFixed(1)} s`,
      );
      // Nothing crashed or gave up along the way (a hang shows as events that stop flowing).
      expect(
        SERVICES.filter((name) => !pipeline.isRunning(name)),
        `services down after ${fault.name}`,
      ).toEqual([]);
      const movedAgain = await untilFlowing(recovered, fault.name);
      faults.push({ name: fault.name, began, acknowledgedBefore, recovered, movedAgain });
    }

    // The faults are over: the rest of the clinic at full speed. Stopping the steady sender may
    // cut a batch ingest has taken but not yet acknowledged; resending it is harmless.
    const steadyEnded = now();
    steady.abort();
    await sending;
    expect(await sendEvents(events, target, { from: acknowledged() })).toBe(events.length);

    await waitUntilSettled(pipeline, truth, { timeoutMs: 120_000 });
    const settled = now();
    await dashboard.stop();

    // What the faults cost, reported before the checks below so a failing run still has it.
    const late = lateEventsByFault(acknowledgements, faults);
    const costs = faults.map((fault, index): FaultCost => {
      const until = faults[index + 1]?.began ?? steadyEnded;
      const within = <T extends { at: number }>(samples: readonly T[]) =>
        samples.filter((sample) => sample.at >= fault.began && sample.at < until);
      const lastBefore = acknowledgements.filter((acknowledgement) => acknowledgement.at < fault.began).at(-1);
      const times = [
        lastBefore?.at ?? fault.began,
        ...within(acknowledgements).map((acknowledgement) => acknowledgement.at),
      ];
      const lags = within(dashboard.lags);
      const peak = (of: (sample: LagSample) => number) => (lags.length === 0 ? null : Math.max(...lags.map(of)));
      return {
        fault: fault.name,
        atSeconds: Math.round((fault.began - sendingBegan) / 100) / 10,
        acknowledgedBefore: fault.acknowledgedBefore,
        recoveredMs: Math.round(fault.recovered - fault.began),
        acknowledgementsStalledMs: Math.round(Math.max(...times.slice(1).map((at, gap) => at - (times[gap] ?? at)))),
        eventsAcknowledgedLate: late[index] ?? 0,
        figuresMovingAgainMs: Math.round(fault.movedAgain - fault.began),
        peakCodingLag: peak((sample) => sample.coding),
        peakAggregationLag: peak((sample) => sample.aggregation),
      };
    });
    await report(costs, {
      events: events.length,
      rate: RATE,
      settledAfterSeconds: Math.round(settled - sendingBegan) / 1_000,
    });

    await expectGroundTruth(pipeline, programmeIds, clinic.episodes);
    await expectRatedSessionsCodedAutomatically(pipeline, clinic.events);

    // The idempotency ledger: every event recorded once, and one automatic coding per
    // transcript (a coding republished under another id would be counted here).
    const expectedLedger: Record<string, number> = { "evoke.session.coded": transcripts };
    for (const event of clinic.events) expectedLedger[event.type] = (expectedLedger[event.type] ?? 0) + 1;
    const database = connectDatabase(pipeline.databaseUrl, { max: 1, applicationName: "test:resilience" });
    try {
      const rows = await database.sql<{ eventType: string; count: number }[]>`
        select event_type as "eventType", count(*)::int as count from processed_events group by event_type`;
      expect(Object.fromEntries(rows.map((row) => [row.eventType, row.count]))).toEqual(expectedLedger);
    } finally {
      await database.close();
    }

    // Nothing dead-lettered: every event here is valid, so a dead letter could only be a fault
    // mistaken for a bad message (what `pnpm mi dlq list` would show).
    const kafka = createKafkaClient({ brokers: pipeline.brokers, clientId: "resilience-dlq-check" });
    expect(await listDeadLetters(kafka, TOPICS.deadLetter)).toEqual([]);
  });
});

/**
 * Events acknowledged more than LATE_MS behind the sender's schedule, per fault. A fault that
 * holds acknowledgements back leaves the sender behind until it has caught up (it sends what
 * is overdue at once), so each run of late acknowledgements counts against the fault that had
 * begun when the run began, even where the catch-up outlasts the next fault's start.
 */
function lateEventsByFault(acknowledgements: readonly Acknowledgement[], faults: readonly FaultRecord[]): number[] {
  const late = faults.map(() => 0);
  /** The fault the current run of late acknowledgements counts against; undefined: on schedule. */
  let owner: number | undefined;
  for (const acknowledgement of acknowledgements) {
    if (acknowledgement.at - acknowledgement.due <= LATE_MS) {
      owner = undefined;
      continue;
    }
    owner ??= faults.findLastIndex((fault) => fault.began <= acknowledgement.at);
    if (owner >= 0) late[owner] = (late[owner] ?? 0) + acknowledgement.events;
  }
  return late;
}

/** The costs as a table on the console, and as JSON in test/artifacts. */
async function report(
  costs: readonly FaultCost[],
  run: { readonly events: number; readonly rate: number; readonly settledAfterSeconds: number },
): Promise<void> {
  const seconds = (ms: number) => (Number.isNaN(ms) ? "-" : `${(ms / 1_000).toFixed(1)} s`);
  const rows = [
    ["fault", "at", "acked before", "recovered", "acks stalled", "acked late", "figures moving", "peak lag c/a"],
    ...costs.map((cost) => [
      cost.fault,
      `${cost.atSeconds.toFixed(1)} s`,
      String(cost.acknowledgedBefore),
      seconds(cost.recoveredMs),
      seconds(cost.acknowledgementsStalledMs),
      String(cost.eventsAcknowledgedLate),
      seconds(cost.figuresMovingAgainMs),
      `${cost.peakCodingLag ?? "-"}/${cost.peakAggregationLag ?? "-"}`,
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  "));
  console.log(
    `[resilience] ${run.events} events at ${run.rate}/s during the faults; settled ${run.settledAfterSeconds.toFixed(0)} s after sending began\n${lines.join("\n")}`,
  );
  const folder = join(REPO_ROOT, "test", "artifacts");
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, "resilience-faults.json"), `${JSON.stringify({ ...run, faults: costs }, null, 2)}\n`);
}
