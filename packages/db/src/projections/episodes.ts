import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { dischargeEvents, enrolmentEvents } from "../schema/index.ts";
import { column, unnestRows } from "./bulk.ts";
import { inChunks } from "./chunks.ts";
import { ofType } from "./events.ts";

export interface ClientProgramme {
  readonly clientId: string;
  readonly programmeId: string;
}

/** Stores enrolment and discharge facts; returns the client-programme pairs whose episodes changed. */
export async function recordEpisodeFacts(tx: Transaction, events: readonly EvokeEvent[]): Promise<ClientProgramme[]> {
  const enrolments = ofType(events, "evoke.client.enrolled").map((event) => ({
    source: event.source,
    eventId: event.id,
    clientId: event.data.clientId,
    programmeId: event.data.programmeId,
    enrolledAt: new Date(event.data.enrolledAt),
    referralSource: event.data.referralSource ?? null,
    focus: event.data.focus ?? null,
    tags: event.data.tags ?? [],
  }));
  const discharges = ofType(events, "evoke.client.discharged").map((event) => ({
    source: event.source,
    eventId: event.id,
    clientId: event.data.clientId,
    programmeId: event.data.programmeId,
    dischargedAt: new Date(event.data.dischargedAt),
    reason: event.data.reason,
  }));
  await inChunks(enrolments, (rows) => tx.insert(enrolmentEvents).values(rows).onConflictDoNothing());
  if (discharges.length > 0) {
    const { list, select } = unnestRows([
      column("source", "text", discharges, (row) => row.source),
      column("event_id", "text", discharges, (row) => row.eventId),
      column("client_id", "text", discharges, (row) => row.clientId),
      column("programme_id", "text", discharges, (row) => row.programmeId),
      column("discharged_at", "timestamptz", discharges, (row) => row.dischargedAt),
      column("reason", "text", discharges, (row) => row.reason),
    ]);
    await tx.execute(sql`insert into ${dischargeEvents} (${list}) ${select} on conflict do nothing`);
  }
  const touched = new Map<string, ClientProgramme>();
  for (const row of [...enrolments, ...discharges])
    touched.set(`${row.clientId}\n${row.programmeId}`, { clientId: row.clientId, programmeId: row.programmeId });
  return [...touched.values()];
}

/**
 * Rebuilds the episodes of the given client-programme pairs from their facts: each distinct
 * enrolment opens one, closed by the first discharge on or after it and before the next
 * enrolment. A function of the facts alone, so any arrival order gives the same episodes.
 */
export async function rebuildEpisodes(tx: Transaction, pairs: readonly ClientProgramme[]): Promise<void> {
  if (pairs.length === 0) return;
  const clientIds = sql.param(pairs.map((pair) => pair.clientId));
  const programmeIds = sql.param(pairs.map((pair) => pair.programmeId));
  await tx.execute(sql`
    delete from episodes e
    using unnest(${clientIds}::text[], ${programmeIds}::text[]) as touched(client_id, programme_id)
    where e.client_id = touched.client_id and e.programme_id = touched.programme_id`);
  await tx.execute(sql`
    with touched as (
      select * from unnest(${clientIds}::text[], ${programmeIds}::text[]) as t(client_id, programme_id)
    ),
    enrolments as (
      select distinct on (en.client_id, en.programme_id, en.enrolled_at)
        en.client_id, en.programme_id, en.enrolled_at, en.referral_source, en.focus, en.tags
      from enrolment_events en join touched using (client_id, programme_id)
      order by en.client_id, en.programme_id, en.enrolled_at, en.source, en.event_id
    ),
    ordered as (
      select *, lead(enrolled_at) over (partition by client_id, programme_id order by enrolled_at) as next_enrolled_at
      from enrolments
    )
    insert into episodes (client_id, programme_id, enrolled_at, referral_source, focus, tags, discharged_at, discharge_reason)
    select o.client_id, o.programme_id, o.enrolled_at, o.referral_source, o.focus, o.tags, d.discharged_at, d.reason
    from ordered o
    left join lateral (
      select discharged_at, reason from discharge_events d
      where d.client_id = o.client_id and d.programme_id = o.programme_id
        and d.discharged_at >= o.enrolled_at
        and (o.next_enrolled_at is null or d.discharged_at < o.next_enrolled_at)
      order by d.discharged_at, d.source, d.event_id
      limit 1
    ) d on true`);
}
