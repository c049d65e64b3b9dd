import type { EvokeEvent } from "@evoke/events";
import type { Transaction } from "../client.ts";
import { claimNewEvents } from "./claim.ts";
import { rebuildSessionFidelity, recordCodings } from "./codings.ts";
import { recordDirectory } from "./directory.ts";
import { rebuildEpisodes, recordEpisodeFacts } from "./episodes.ts";
import { recordReadiness } from "./readiness.ts";
import { rebuildSessions, recordSessionFacts } from "./sessions.ts";
import { recordTranscripts } from "./transcripts.ts";

export interface RecordResult {
  /** Events applied for the first time. */
  readonly applied: number;
  /** Events already processed before (or twice in this batch): no effect. */
  readonly duplicates: number;
}

/**
 * Projects a batch of events into the history, inside the caller's transaction. Facts are
 * stored as they arrived (idempotent by CloudEvents source + id), and the rows derived from them
 * (episodes, sessions, each session's fidelity) are rebuilt for exactly the keys the batch
 * touched: the result depends on the set of events, not their order.
 */
export async function recordEvents(tx: Transaction, events: readonly EvokeEvent[]): Promise<RecordResult> {
  const fresh = await claimNewEvents(tx, events);
  if (fresh.length > 0) {
    await recordDirectory(tx, fresh);
    const clientProgrammes = await recordEpisodeFacts(tx, fresh);
    const sessionIds = await recordSessionFacts(tx, fresh);
    await recordReadiness(tx, fresh);
    await recordTranscripts(tx, fresh);
    const codedSessionIds = await recordCodings(tx, fresh);
    await rebuildEpisodes(tx, clientProgrammes);
    await rebuildSessions(tx, sessionIds);
    // A session's fidelity context (attended time, therapist) changes with its status events too.
    await rebuildSessionFidelity(tx, [...new Set([...sessionIds, ...codedSessionIds])]);
  }
  return { applied: fresh.length, duplicates: events.length - fresh.length };
}
