import type { EvokeEvent } from "@evoke/events";
import { type EpisodeTruth, type GroundTruth, groundTruth } from "@evoke/synth";
import { expect } from "vitest";

/*
 * Reading a synthetic clinic back from the dashboard's JSON API and holding it against the
 * generator's ground truth, for the runs that send a clinic through the whole pipeline (end to
 * end, and under faults). Settled first (every transcript coded, every attended session and
 * client counted), then exact: retention is judged at the API's own asOf, so the truth is
 * worked out for that same moment.
 */

/** Where the dashboard serves, and a director token that sees every programme. */
export interface DashboardAccess {
  readonly dashboardUrl: string;
  readonly directorToken: string;
}

/** The part of /api/v1/programmes/{id}/summary held against the ground truth. */
export interface ProgrammeSummary {
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

/** GET /api/v1{path} as the director; anything but a 200 throws, with the answer. */
export async function dashboardApi<T>(
  dashboard: DashboardAccess,
  path: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<T> {
  const response = await fetch(`${dashboard.dashboardUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${dashboard.directorToken}` },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Each programme's summary, in the order given. */
export function programmeSummaries(
  dashboard: DashboardAccess,
  programmeIds: readonly string[],
  options: { readonly signal?: AbortSignal } = {},
): Promise<ProgrammeSummary[]> {
  return Promise.all(
    programmeIds.map((id) => dashboardApi<ProgrammeSummary>(dashboard, `/programmes/${id}/summary`, options)),
  );
}

/** What the dashboard reports, in the shape of the ground truth. */
export function reported(summary: ProgrammeSummary) {
  return {
    programmeId: summary.programmeId,
    clients: summary.clients,
    sessionsAttended: summary.sessionsAttended,
    transcriptsCoded: summary.sessionsCoded,
    humanRatings: summary.humanRated,
    retention: summary.retention.map(({ days, retained }) => ({ days, retained: retained.count, of: retained.of })),
    readinessChange: { n: summary.readinessChange?.n ?? 0, mean: summary.readinessChange?.mean ?? null },
  };
}

/** What the dashboard should report, per programme, from the ground truth. */
export function expected(truth: GroundTruth) {
  return truth.programmes.map((programme) => ({
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
}

/** The figures that only grow while the pipeline catches up, per programme. */
const progress = (summary: ProgrammeSummary) => [summary.sessionsCoded, summary.sessionsAttended, summary.clients];

/**
 * Waits until every programme's sessions coded, sessions attended and clients equal the truth:
 * every transcript coded and every event counted. These do not depend on the time they are
 * judged at, so any truth of the clinic will do.
 */
export async function waitUntilSettled(
  dashboard: DashboardAccess,
  truth: GroundTruth,
  options: { readonly timeoutMs: number },
): Promise<void> {
  const programmeIds = truth.programmes.map((programme) => programme.programmeId);
  await expect
    .poll(async () => (await programmeSummaries(dashboard, programmeIds)).map(progress), {
      timeout: options.timeoutMs,
      interval: 1_000,
    })
    .toEqual(
      truth.programmes.map((programme) => [
        programme.transcriptsSubmitted,
        programme.sessionsAttended,
        programme.clients,
      ]),
    );
}

/**
 * Once settled: every figure the dashboard reports equals the ground truth as of the API's own
 * asOf (retention depends on the time it is judged at). Returns the summaries compared.
 */
export async function expectGroundTruth(
  dashboard: DashboardAccess,
  programmeIds: readonly string[],
  episodes: readonly EpisodeTruth[],
): Promise<ProgrammeSummary[]> {
  const summaries = await programmeSummaries(dashboard, programmeIds);
  const asOf = new Date(summaries[0]?.asOf ?? "");
  expect(summaries.map(reported)).toEqual(expected(groundTruth(programmeIds, episodes, asOf)));
  return summaries;
}

/**
 * A human rating stands in for its session's fidelity, so the summaries cannot tell whether
 * such a session was also coded automatically: ask each rated session for its codings. Exactly
 * one of each kind, so a coding lost or recorded twice fails here too.
 */
export async function expectRatedSessionsCodedAutomatically(
  dashboard: DashboardAccess,
  events: readonly EvokeEvent[],
): Promise<void> {
  const rated = events.filter((event) => event.type === "evoke.fidelity.rated");
  expect(rated.length).toBeGreaterThan(0);
  for (const event of rated) {
    const sessionId = (event.data as { sessionId: string }).sessionId;
    const { codings } = await dashboardApi<SessionDetail>(dashboard, `/sessions/${sessionId}`);
    expect(codings.map((coding) => coding.kind).sort(), sessionId).toEqual(["automatic", "human"]);
  }
}
