/*
 * The ground truth of a generated clinic: what really happened to each client, kept while the
 * events are written, and the figures the dashboard should report from those events, worked out
 * here independently of the analytics' SQL, by the definitions the dashboard documents
 * (mi-domain.md sections 4 and 5; packages/analytics/src/retention.ts):
 *  - readiness change: per client with two or more readiness-ruler "readiness" measurements,
 *    the latest minus the first; the programme's mean over those clients;
 *  - retained at day d: attended a session on or after day d, or not discharged as a dropout
 *    before day d (completers count as retained); counted among the episodes enrolled at least
 *    d days before the as-of time, leaving out those that ended for another reason (transfer,
 *    administrative) before day d, whose outcome at d is unknown.
 */

const DAY_MS = 86_400_000;

/** Retention milestones, in days from enrolment. */
export const MILESTONE_DAYS = [30, 60, 90] as const;

/** One client's episode as it was generated (only what the events tell). */
export interface EpisodeTruth {
  readonly clientId: string;
  readonly programmeId: string;
  readonly enrolledAt: number;
  /** When each attended session took place (epoch ms). */
  readonly attended: number[];
  transcripts: number;
  humanRatings: number;
  /** The readiness ruler's "readiness" item, in the order measured. */
  readonly readiness: number[];
  discharge?: { readonly at: number; readonly reason: "completed" | "dropped_out" | "transferred" | "administrative" };
}

export interface RetentionTruth {
  readonly days: number;
  readonly retained: number;
  /** Episodes whose outcome at the milestone is known. */
  readonly of: number;
}

export interface ProgrammeTruth {
  readonly programmeId: string;
  readonly clients: number;
  readonly sessionsAttended: number;
  readonly transcriptsSubmitted: number;
  readonly humanRatings: number;
  readonly retention: readonly RetentionTruth[];
  readonly readinessChange: { readonly n: number; readonly mean: number | null };
}

export interface GroundTruth {
  /** The time retention is judged at: milestones reached by then count. */
  readonly asOf: string;
  readonly programmes: readonly ProgrammeTruth[];
}

function retentionAt(episodes: readonly EpisodeTruth[], days: number, asOf: number): RetentionTruth {
  let retained = 0;
  let of = 0;
  for (const episode of episodes) {
    const day = (time: number) => (time - episode.enrolledAt) / DAY_MS;
    if (day(asOf) < days) continue; // not yet reached
    const discharge = episode.discharge;
    const endedOtherwise =
      discharge !== undefined && discharge.reason !== "dropped_out" && discharge.reason !== "completed";
    if (endedOtherwise && day(discharge.at) < days) continue; // outcome at `days` unknown
    of += 1;
    const lastAttended = episode.attended.at(-1);
    const droppedOutBefore = discharge?.reason === "dropped_out" && day(discharge.at) < days;
    if (!droppedOutBefore || (lastAttended !== undefined && day(lastAttended) >= days)) retained += 1;
  }
  return { days, retained, of };
}

function readinessChange(episodes: readonly EpisodeTruth[]): ProgrammeTruth["readinessChange"] {
  const changes = episodes.flatMap((episode) => {
    const first = episode.readiness[0];
    const latest = episode.readiness.at(-1);
    return episode.readiness.length >= 2 && first !== undefined && latest !== undefined ? [latest - first] : [];
  });
  return {
    n: changes.length,
    mean: changes.length === 0 ? null : changes.reduce((sum, change) => sum + change, 0) / changes.length,
  };
}

/** Per programme (in the order given), the figures the dashboard should show as of `asOf`. */
export function groundTruth(
  programmeIds: readonly string[],
  episodes: readonly EpisodeTruth[],
  asOf: Date,
): GroundTruth {
  return {
    asOf: asOf.toISOString(),
    programmes: programmeIds.map((programmeId) => {
      const own = episodes.filter((episode) => episode.programmeId === programmeId);
      const sum = (of: (episode: EpisodeTruth) => number) => own.reduce((total, episode) => total + of(episode), 0);
      return {
        programmeId,
        clients: own.length,
        sessionsAttended: sum((episode) => episode.attended.length),
        transcriptsSubmitted: sum((episode) => episode.transcripts),
        humanRatings: sum((episode) => episode.humanRatings),
        retention: MILESTONE_DAYS.map((days) => retentionAt(own, days, asOf.getTime())),
        readinessChange: readinessChange(own),
      };
    }),
  };
}
