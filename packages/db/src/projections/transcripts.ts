import type { EvokeEvent } from "@evoke/events";
import { and, isNotNull, lt, sql } from "drizzle-orm";
import type { Database, Transaction } from "../client.ts";
import { transcripts } from "../schema/index.ts";
import { column, unnestRows } from "./bulk.ts";
import { ofType } from "./events.ts";

export async function recordTranscripts(tx: Transaction, events: readonly EvokeEvent[]): Promise<void> {
  const submitted = ofType(events, "evoke.transcript.submitted");
  if (submitted.length === 0) return;
  const { list, select } = unnestRows([
    column("source", "text", submitted, (event) => event.source),
    column("event_id", "text", submitted, (event) => event.id),
    column("session_id", "text", submitted, (event) => event.data.sessionId),
    column("client_id", "text", submitted, (event) => event.data.clientId),
    column("therapist_id", "text", submitted, (event) => event.data.therapistId),
    column("programme_id", "text", submitted, (event) => event.data.programmeId),
    column("language", "text", submitted, (event) => event.data.language),
    column("change_goal", "text", submitted, (event) => event.data.changeGoal ?? null),
    column("utterance_count", "integer", submitted, (event) => event.data.utterances.length),
    column("utterances", "json", submitted, (event) => event.data.utterances),
    column("submitted_at", "timestamptz", submitted, (event) => new Date(event.time)),
  ]);
  await tx.execute(sql`insert into ${transcripts} (${list}) ${select} on conflict do nothing`);
}

/**
 * The retention policy: removes the text of transcripts stored more than `retentionDays` ago,
 * and the client's own words for their goal, keeping the row (session, counts) and every coding.
 * Returns how many were purged.
 */
export async function purgeTranscriptText(db: Database, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const purged = await db
    .update(transcripts)
    .set({ utterances: null, changeGoal: null, textPurgedAt: now })
    .where(and(lt(transcripts.storedAt, cutoff), isNotNull(transcripts.utterances)))
    .returning({ sessionId: transcripts.sessionId });
  return purged.length;
}
