import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { processedEvents } from "../schema/index.ts";
import { column, unnestRows } from "./bulk.ts";

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
  const candidates = [...unique.values()];
  if (candidates.length === 0) return [];
  const { list, select } = unnestRows([
    column("source", "text", candidates, (event) => event.source),
    column("event_id", "text", candidates, (event) => event.id),
    column("event_type", "text", candidates, (event) => event.type),
  ]);
  const inserted = await tx.execute<{ source: string; event_id: string }>(
    sql`insert into ${processedEvents} (${list}) ${select} on conflict do nothing returning source, event_id`,
  );
  const claimed = new Set(inserted.map((row) => `${row.source}\n${row.event_id}`));
  return candidates.filter((event) => claimed.has(keyOf(event)));
}
