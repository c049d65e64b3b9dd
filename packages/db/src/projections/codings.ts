import type { EvokeEvent } from "@evoke/events";
import { getTableColumns, sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { sessionCodings } from "../schema/index.ts";
import { compactUtteranceCodes } from "../utterance-codes.ts";
import { type BulkType, column, unnestRows } from "./bulk.ts";
import { ofType } from "./events.ts";
import { fidelityRollupKeysOf, rebuildFidelityRollups } from "./fidelity-rollups.ts";

type CodingRow = typeof sessionCodings.$inferInsert;

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

/** Automatic codings (evoke.session.coded) and human MITI ratings (evoke.fidelity.rated) as rows. */
function codingRows(events: readonly EvokeEvent[]): CodingRow[] {
  const automatic = ofType(events, "evoke.session.coded").map((event): CodingRow => {
    const { summary } = event.data;
    return {
      codingId: event.id,
      sessionId: event.data.sessionId,
      kind: "automatic",
      modelVersion: event.data.modelVersion,
      coderId: null,
      codedAt: new Date(event.data.codedAt),
      clientId: event.data.clientId,
      therapistId: event.data.therapistId,
      programmeId: event.data.programmeId,
      sessionTime: new Date(event.time),
      thresholds: event.data.thresholds,
      volleys: summary.volleys,
      segmentMinutes: null,
      technical: summary.technical,
      relational: summary.relational,
      ...summary.globals,
      reflectionToQuestion: summary.reflectionToQuestion,
      percentComplexReflections: summary.percentComplexReflections,
      percentChangeTalk: summary.percentChangeTalk,
      ...summary.counts,
      utteranceCodes: compactUtteranceCodes(event.data.utterances),
    };
  });
  // Human ratings give globals and counts; the summary scores follow from them (MITI 4.2.1 §I).
  const human = ofType(events, "evoke.fidelity.rated").map((event): CodingRow => {
    const { globals, counts } = event.data;
    const reflections = counts.simpleReflection + counts.complexReflection;
    return {
      codingId: `human:${event.source}:${event.id}`,
      sessionId: event.data.sessionId,
      kind: "human",
      modelVersion: null,
      coderId: event.data.coderId,
      codedAt: new Date(event.data.ratedAt ?? event.time),
      clientId: event.subject ?? null,
      therapistId: null,
      programmeId: null,
      sessionTime: new Date(event.time),
      thresholds: null,
      volleys: null,
      segmentMinutes: event.data.segmentMinutes,
      technical: round((globals.cultivatingChangeTalk + globals.softeningSustainTalk) / 2, 2),
      relational: round((globals.partnership + globals.empathy) / 2, 2),
      ...globals,
      reflectionToQuestion: counts.question === 0 ? null : round(reflections / counts.question, 2),
      percentComplexReflections: reflections === 0 ? null : round((100 * counts.complexReflection) / reflections, 1),
      percentChangeTalk: null,
      ...counts,
      utteranceCodes: null,
    };
  });
  return [...automatic, ...human];
}

/** How each column of session_codings travels in a bulk insert, by its SQL type. */
const BULK_TYPES: Readonly<Record<string, BulkType>> = {
  text: "text",
  integer: "integer",
  real: "real",
  "timestamp with time zone": "timestamptz",
  json: "json",
};

/** A coding row's keys are the table's columns (drizzle's names), stored under their snake_case names. */
const CODING_COLUMNS = Object.entries(getTableColumns(sessionCodings)).map(([key, definition]) => {
  const type = BULK_TYPES[definition.getSQLType()];
  if (type === undefined) throw new Error(`session_codings.${key}: no bulk type for ${definition.getSQLType()}`);
  return { key: key as keyof CodingRow, name: key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), type };
});

/** Stores codings (all of them: model versions and coders coexist); returns the sessions touched. */
export async function recordCodings(tx: Transaction, events: readonly EvokeEvent[]): Promise<string[]> {
  const rows = codingRows(events);
  if (rows.length > 0) {
    const { list, select } = unnestRows(
      CODING_COLUMNS.map(({ key, name, type }) => column(name, type, rows, (row) => row[key] ?? null)),
    );
    await tx.execute(sql`insert into ${sessionCodings} (${list}) ${select} on conflict do nothing`);
  }
  return [...new Set(rows.map((row) => row.sessionId))];
}

/** The score columns session_codings and session_fidelity share (fixed names: safe as raw SQL). */
const SCORE_COLUMNS = [
  "technical",
  "relational",
  "cultivating_change_talk",
  "softening_sustain_talk",
  "partnership",
  "empathy",
  "reflection_to_question",
  "percent_complex_reflections",
  "percent_change_talk",
  "giving_information",
  "persuade",
  "persuade_with_permission",
  "question",
  "simple_reflection",
  "complex_reflection",
  "affirm",
  "seeking_collaboration",
  "emphasizing_autonomy",
  "confront",
] as const;
const scoreList = sql.raw(SCORE_COLUMNS.join(", "));
const codingScores = sql.raw(SCORE_COLUMNS.map((column) => `c.${column}`).join(", "));
const updateScores = sql.raw(SCORE_COLUMNS.map((column) => `${column} = excluded.${column}`).join(", "));

/**
 * Picks, for each touched session, the coding that counts: a human rating where one exists
 * (the latest if several), else the most recently coded automatic coding. The session's
 * context comes from the session's own events where known (attended time, therapist), else from
 * the coding. Sessions are rebuilt first, so this sees their latest state. The fidelity
 * rollups of the keys the sessions were and are in are rebuilt with them.
 */
export async function rebuildSessionFidelity(tx: Transaction, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  // The rollup keys the sessions leave (a new time or therapist) as well as those they join.
  const before = await fidelityRollupKeysOf(tx, sessionIds);
  const ids = sql.param([...sessionIds]);
  // The sessions by their key too (the join alone read and hashed the whole sessions table
  // for every transaction).
  await tx.execute(sql`
    insert into session_fidelity (session_id, coding_id, kind, client_id, therapist_id, programme_id, session_time, duration_minutes, ${scoreList})
    select distinct on (c.session_id)
      c.session_id, c.coding_id, c.kind,
      coalesce(s.client_id, c.client_id), coalesce(s.therapist_id, c.therapist_id), coalesce(s.programme_id, c.programme_id),
      coalesce(s.occurred_at, c.session_time), s.duration_minutes, ${codingScores}
    from session_codings c
    left join sessions s on s.session_id = c.session_id and s.session_id = any(${ids}::text[])
    where c.session_id = any(${ids}::text[])
    order by c.session_id, (c.kind = 'human') desc, c.coded_at desc, c.coding_id desc
    on conflict (session_id) do update set
      coding_id = excluded.coding_id, kind = excluded.kind, client_id = excluded.client_id,
      therapist_id = excluded.therapist_id, programme_id = excluded.programme_id, session_time = excluded.session_time,
      duration_minutes = excluded.duration_minutes,
      ${updateScores}`);
  await rebuildFidelityRollups(tx, [...before, ...(await fidelityRollupKeysOf(tx, sessionIds))]);
}
