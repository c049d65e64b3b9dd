import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { claimNewEvents, countClaimedEvents } from "./claim.ts";
import { rebuildSessionFidelity, recordCodings } from "./codings.ts";
import { recordDirectory } from "./directory.ts";
import { type ClientProgramme, rebuildEpisodes, recordEpisodeFacts } from "./episodes.ts";
import { DERIVED_STATE_LOCK, ERASURE_LOCK, erasedAmong } from "./erasure.ts";
import { pairsOfSessions, rebuildOutcomes } from "./outcomes.ts";
import { pipelined } from "./pipelined.ts";
import { readinessPairs, recordReadiness } from "./readiness.ts";
import { rebuildSessions, recordSessionFacts } from "./sessions.ts";
import { recordTranscripts } from "./transcripts.ts";

export interface RecordResult {
  /** Events applied for the first time. */
  readonly applied: number;
  /** Events already processed before (or twice in this batch): no effect. */
  readonly duplicates: number;
  /** Events of an erased client: recorded as processed, not projected. */
  readonly erased: number;
}

function distinctPairs(pairs: readonly ClientProgramme[]): ClientProgramme[] {
  const unique = new Map(pairs.map((pair) => [`${pair.clientId}\n${pair.programmeId}`, pair]));
  return [...unique.values()];
}

/**
 * Projects a batch of events into the history, inside the caller's transaction. Facts are
 * stored as they arrived (idempotent by CloudEvents source + id), and the rows derived from them
 * (episodes, sessions, each session's fidelity, client outcomes) are rebuilt for exactly the
 * keys the batch touched: the result depends on the set of events, not their order. Events of
 * an erased client (erased_clients) are claimed like any other, so they stay processed, but
 * projected nowhere.
 */
export async function recordEvents(tx: Transaction, events: readonly EvokeEvent[]): Promise<RecordResult> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${ERASURE_LOCK})`);
  const claimed = await claimNewEvents(tx, events);
  const erased = await erasedAmong(tx, claimed);
  const fresh = erased.size === 0 ? claimed : claimed.filter((event) => !erased.has(event));
  if (fresh.length > 0) {
    // The facts go to tables of their own: their statements are sent without waiting for each
    // other's answers, and PostgreSQL runs one while the next is being built here.
    const [clientProgrammes, statusSessionIds, , , codedSessionIds] = await pipelined([
      recordEpisodeFacts(tx, fresh),
      recordSessionFacts(tx, fresh),
      recordReadiness(tx, fresh),
      recordTranscripts(tx, fresh),
      recordCodings(tx, fresh),
    ] as const);

    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
    // The directory under the lock: two transactions mentioning the same new client would
    // otherwise meet at its row, the second waiting for the first to commit (all of its
    // rebuilds) before it could store even its facts. The facts above share no rows between
    // transactions. No rebuild reads the directory, so it goes beside them.
    await pipelined([
      recordDirectory(tx, fresh),
      (async () => {
        await rebuildEpisodes(tx, clientProgrammes);
        await rebuildSessions(tx, statusSessionIds);
        // A session's fidelity context (attended time, therapist) changes with its status events too.
        const sessionIds = [...new Set([...statusSessionIds, ...codedSessionIds])];
        await rebuildSessionFidelity(tx, sessionIds);
        await rebuildOutcomes(
          tx,
          distinctPairs([...clientProgrammes, ...readinessPairs(fresh), ...(await pairsOfSessions(tx, sessionIds))]),
        );
      })(),
    ] as const);
  }
  // Last, under the derived-state lock (taken above when there was anything to project): the
  // counts' rows are shared by every transaction, so locking them any earlier would serialise
  // the fact inserts, and the lock keeps them in step with a recount (rebuildProcessedEventMinutes).
  if (fresh.length === 0 && claimed.length > 0)
    await tx.execute(sql`select pg_advisory_xact_lock(${DERIVED_STATE_LOCK})`);
  await countClaimedEvents(tx, claimed);
  return { applied: fresh.length, duplicates: events.length - claimed.length, erased: erased.size };
}
