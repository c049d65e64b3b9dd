import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { sessionEvents } from "../schema/index.ts";
import { column, unnestRows } from "./bulk.ts";

type SessionFact = typeof sessionEvents.$inferInsert;

/** A session fact with every column set (null where its type has none): one shape for all. */
function fact(
  event: EvokeEvent,
  fields: Pick<SessionFact, "sessionId" | "status" | "clientId" | "programmeId"> & Partial<SessionFact>,
): SessionFact {
  // Written out rather than spread from a shared base: V8 copies a spread object and then adds
  // each later field on a slow path, which cost ten times the rest of building the fact.
  return {
    source: event.source,
    eventId: event.id,
    eventTime: new Date(event.time),
    sessionId: fields.sessionId,
    status: fields.status,
    clientId: fields.clientId,
    therapistId: fields.therapistId ?? null,
    programmeId: fields.programmeId,
    scheduledAt: fields.scheduledAt ?? null,
    occurredAt: fields.occurredAt ?? null,
    durationMinutes: fields.durationMinutes ?? null,
    cancelledBy: fields.cancelledBy ?? null,
  };
}

/** Stores session status facts; returns the ids of the sessions they touch. */
export async function recordSessionFacts(tx: Transaction, events: readonly EvokeEvent[]): Promise<string[]> {
  const facts: SessionFact[] = [];
  for (const event of events) {
    switch (event.type) {
      case "evoke.session.scheduled":
        facts.push(
          fact(event, {
            sessionId: event.data.sessionId,
            status: "scheduled",
            clientId: event.data.clientId,
            therapistId: event.data.therapistId,
            programmeId: event.data.programmeId,
            scheduledAt: new Date(event.data.scheduledAt),
          }),
        );
        break;
      case "evoke.session.attended":
        facts.push(
          fact(event, {
            sessionId: event.data.sessionId,
            status: "attended",
            clientId: event.data.clientId,
            therapistId: event.data.therapistId,
            programmeId: event.data.programmeId,
            occurredAt: new Date(event.data.occurredAt),
            durationMinutes: event.data.durationMinutes ?? null,
          }),
        );
        break;
      case "evoke.session.missed":
        facts.push(
          fact(event, {
            sessionId: event.data.sessionId,
            status: "missed",
            clientId: event.data.clientId,
            therapistId: event.data.therapistId ?? null,
            programmeId: event.data.programmeId,
            scheduledAt: new Date(event.data.scheduledAt),
          }),
        );
        break;
      case "evoke.session.cancelled":
        facts.push(
          fact(event, {
            sessionId: event.data.sessionId,
            status: "cancelled",
            clientId: event.data.clientId,
            programmeId: event.data.programmeId,
            cancelledBy: event.data.cancelledBy,
          }),
        );
        break;
    }
  }
  if (facts.length > 0) {
    const { list, select } = unnestRows([
      column("source", "text", facts, (fact) => fact.source),
      column("event_id", "text", facts, (fact) => fact.eventId),
      column("session_id", "text", facts, (fact) => fact.sessionId),
      column("status", "text", facts, (fact) => fact.status),
      column("event_time", "timestamptz", facts, (fact) => fact.eventTime),
      column("client_id", "text", facts, (fact) => fact.clientId),
      column("therapist_id", "text", facts, (fact) => fact.therapistId),
      column("programme_id", "text", facts, (fact) => fact.programmeId),
      column("scheduled_at", "timestamptz", facts, (fact) => fact.scheduledAt),
      column("occurred_at", "timestamptz", facts, (fact) => fact.occurredAt),
      column("duration_minutes", "real", facts, (fact) => fact.durationMinutes),
      column("cancelled_by", "text", facts, (fact) => fact.cancelledBy),
    ]);
    await tx.execute(sql`insert into ${sessionEvents} (${list}) ${select} on conflict do nothing`);
  }
  return [...new Set(facts.map((fact) => fact.sessionId))];
}

/**
 * Rebuilds sessions from their facts: the status is that of the latest event (by event time;
 * on a tie attended > missed > cancelled > scheduled, then by source and id), each other field
 * the latest value any event gave. A function of the facts alone, so arrival order is moot.
 */
export async function rebuildSessions(tx: Transaction, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await tx.execute(sql`
    insert into sessions (session_id, client_id, therapist_id, programme_id, status, status_time,
                          scheduled_at, occurred_at, duration_minutes, cancelled_by, event_count)
    select
      session_id,
      (array_agg(client_id order by event_time desc, source, event_id))[1],
      (array_agg(therapist_id order by event_time desc, source, event_id) filter (where therapist_id is not null))[1],
      (array_agg(programme_id order by event_time desc, source, event_id))[1],
      (array_agg(status order by event_time desc, priority desc, source, event_id))[1],
      (array_agg(event_time order by event_time desc, priority desc, source, event_id))[1],
      (array_agg(scheduled_at order by event_time desc, source, event_id) filter (where scheduled_at is not null))[1],
      (array_agg(occurred_at order by event_time desc, source, event_id) filter (where status = 'attended'))[1],
      (array_agg(duration_minutes order by event_time desc, source, event_id) filter (where status = 'attended'))[1],
      (array_agg(cancelled_by order by event_time desc, source, event_id) filter (where status = 'cancelled'))[1],
      count(*)::int
    from (
      select *, case status when 'attended' then 4 when 'missed' then 3 when 'cancelled' then 2 else 1 end as priority
      from session_events where session_id = any(${sql.param([...sessionIds])}::text[])
    ) facts
    group by session_id
    on conflict (session_id) do update set
      client_id = excluded.client_id, therapist_id = excluded.therapist_id, programme_id = excluded.programme_id,
      status = excluded.status, status_time = excluded.status_time, scheduled_at = excluded.scheduled_at,
      occurred_at = excluded.occurred_at, duration_minutes = excluded.duration_minutes,
      cancelled_by = excluded.cancelled_by, event_count = excluded.event_count`);
}
