import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { processedEventMinutes, processedEvents } from "../schema/index.ts";
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

/**
 * Adds events just claimed to the ledger's per-minute counts by type (the minute of their
 * processed_at: the transaction's start, `now()`), in the caller's transaction, so the counts
 * move exactly when the ledger does. Types are upserted in sorted order (one lock order for
 * concurrent writers).
 */
export async function countClaimedEvents(tx: Transaction, events: readonly { readonly type: string }[]): Promise<void> {
  if (events.length === 0) return;
  const byType = new Map<string, number>();
  for (const event of events) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
  const types = [...byType.keys()].sort();
  await tx.execute(sql`
    insert into ${processedEventMinutes} (minute, event_type, events)
    select date_trunc('minute', now(), 'UTC'), counted.event_type, counted.events
    from unnest(${sql.param(types)}::text[], ${sql.param(types.map((type) => byType.get(type)))}::int[])
      as counted(event_type, events)
    on conflict (minute, event_type) do update set events = ${processedEventMinutes}.events + excluded.events`);
}
