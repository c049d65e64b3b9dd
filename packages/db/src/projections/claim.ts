import type { EvokeEvent } from "@evoke/events";
import type { Transaction } from "../client.ts";
import { processedEvents } from "../schema/index.ts";
import { inChunks } from "./chunks.ts";

const keyOf = (event: { readonly source: string; readonly id: string }) => `${event.source}\n${event.id}`;

/**
 * Records the events as processed and returns those that were not already: the caller applies
 * only these, in the same transaction, so a redelivered or duplicated event has no second
 * effect (within a batch too: the first copy wins).
 */
export async function claimNewEvents<Event extends EvokeEvent>(
  tx: Transaction,
  events: readonly Event[],
): Promise<Event[]> {
  const unique = new Map<string, Event>();
  for (const event of events) if (!unique.has(keyOf(event))) unique.set(keyOf(event), event);
  const claimed = new Set<string>();
  await inChunks(
    [...unique.values()].map((event) => ({ source: event.source, eventId: event.id, eventType: event.type })),
    async (rows) => {
      const inserted = await tx
        .insert(processedEvents)
        .values(rows)
        .onConflictDoNothing()
        .returning({ source: processedEvents.source, eventId: processedEvents.eventId });
      for (const row of inserted) claimed.add(`${row.source}\n${row.eventId}`);
    },
  );
  return [...unique.values()].filter((event) => claimed.has(keyOf(event)));
}
