import type { EvokeEvent } from "@evoke/events";
import { and, isNotNull, lt, sql } from "drizzle-orm";
import type { Database, Transaction } from "../client.ts";
import { transcripts } from "../schema/index.ts";
import { jsonRows } from "./bulk.ts";
import { ofType } from "./events.ts";

const TRANSCRIPT_COLUMNS = [
  "source",
  "event_id",
  "session_id",
  "client_id",
  "therapist_id",
  "programme_id",
  "language",
  "change_goal",
  "utterance_count",
  "utterances",
  "submitted_at",
];

export async function recordTranscripts(tx: Transaction, events: readonly EvokeEvent[]): Promise<void> {
  const rows = ofType(events, "evoke.transcript.submitted").map((event) => ({
    source: event.source,
    eventId: event.id,
    sessionId: event.data.sessionId,
    clientId: event.data.clientId,
    therapistId: event.data.therapistId,
    programmeId: event.data.programmeId,
    language: event.data.language,
    changeGoal: event.data.changeGoal ?? null,
    utteranceCount: event.data.utterances.length,
    utterances: event.data.utterances,
    submittedAt: new Date(event.time),
  }));
  if (rows.length === 0) return;
  const { list, select } = jsonRows(
    sql`${transcripts}`,
    TRANSCRIPT_COLUMNS,
    rows.map((row) => ({
      source: row.source,
      event_id: row.eventId,
      session_id: row.sessionId,
      client_id: row.clientId,
      therapist_id: row.therapistId,
      programme_id: row.programmeId,
      language: row.language,
      change_goal: row.changeGoal,
      utterance_count: row.utteranceCount,
      utterances: row.utterances,
      submitted_at: row.submittedAt,
    })),
  );
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
