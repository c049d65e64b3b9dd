import type { Database, Transaction } from "./client.ts";
import { countClaimedEvents } from "./projections/claim.ts";
import { processedEvents } from "./schema/index.ts";

export interface EventKey {
  /** CloudEvents `source`: the sending system. */
  readonly source: string;
  /** CloudEvents `id`: unique per source. */
  readonly id: string;
  readonly type: string;
}

/**
 * Records that an event has been processed, inside the caller's transaction. Returns false
 * when it had been processed before: the caller then skips its writes, and a redelivered or
 * duplicated event has a single effect.
 */
export async function recordProcessedEvent(tx: Transaction, event: EventKey): Promise<boolean> {
  const inserted = await tx
    .insert(processedEvents)
    .values({ source: event.source, eventId: event.id, eventType: event.type })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  if (inserted.length === 1) await countClaimedEvents(tx, [event]);
  return inserted.length === 1;
}

/** Whether any event has been recorded yet: false for a new, empty history. */
export async function hasRecordedEvents(db: Database): Promise<boolean> {
  const [first] = await db.select({ source: processedEvents.source }).from(processedEvents).limit(1);
  return first !== undefined;
}
