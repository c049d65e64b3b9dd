import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { AnyPgTable } from "drizzle-orm/pg-core";
import type { Transaction } from "../client.ts";
import { clients, programmes, therapists } from "../schema/index.ts";
import { type BulkColumn, column, unnestRows } from "./bulk.ts";
import { distinct, inChunks } from "./chunks.ts";
import { ofType } from "./events.ts";

/** The ids an event mentions, wherever in its data they are. */
function mentions(event: EvokeEvent): { clientId?: string; programmeId?: string; therapistId?: string } {
  const data = event.data as { clientId?: string; programmeId?: string; therapistId?: string };
  return { clientId: data.clientId, programmeId: data.programmeId, therapistId: data.therapistId };
}

/** Inserts the rows whose key is not there yet (first_seen_at takes its default). */
async function insertMissing(tx: Transaction, table: AnyPgTable, columns: BulkColumn[]): Promise<void> {
  if ((columns[0]?.values.length ?? 0) === 0) return;
  const { list, select } = unnestRows(columns);
  await tx.execute(sql`insert into ${table} (${list}) ${select} on conflict do nothing`);
}

/**
 * Makes sure every programme, therapist and client an event mentions has a row (nothing waits
 * for a registration), then applies registrations: for each id the registration with the latest
 * event time wins, ties broken by name, so arrival order does not matter.
 */
export async function recordDirectory(tx: Transaction, events: readonly EvokeEvent[]): Promise<void> {
  const mentioned = events.map(mentions);
  // Sorted: concurrent transactions inserting the same ids take their locks in one order.
  const programmeIds = distinct(mentioned, (ids) => ids.programmeId).sort();
  const clientIds = distinct(mentioned, (ids) => ids.clientId).sort();
  const therapistProgramme = new Map<string, string | undefined>();
  for (const ids of mentioned) {
    if (ids.therapistId !== undefined && !therapistProgramme.has(ids.therapistId))
      therapistProgramme.set(ids.therapistId, ids.programmeId);
  }
  const therapistIds = [...therapistProgramme.keys()].sort();
  await insertMissing(tx, programmes, [column("programme_id", "text", programmeIds, (id) => id)]);
  await insertMissing(tx, clients, [column("client_id", "text", clientIds, (id) => id)]);
  await insertMissing(tx, therapists, [
    column("therapist_id", "text", therapistIds, (id) => id),
    column("programme_id", "text", therapistIds, (id) => therapistProgramme.get(id) ?? null),
  ]);

  const latest = <Row extends { time: string; name: string }>(rows: Row[], id: (row: Row) => string): Row[] => {
    const byId = new Map<string, Row>();
    for (const row of rows) {
      const current = byId.get(id(row));
      if (current === undefined || row.time > current.time || (row.time === current.time && row.name > current.name))
        byId.set(id(row), row);
    }
    return [...byId.values()];
  };

  const programmeNames = latest(
    ofType(events, "evoke.programme.registered").map((event) => ({
      programmeId: event.data.programmeId,
      name: event.data.name,
      time: event.time,
    })),
    (row) => row.programmeId,
  );
  await inChunks(programmeNames, (rows) =>
    tx
      .insert(programmes)
      .values(rows.map((row) => ({ programmeId: row.programmeId, name: row.name, nameTime: new Date(row.time) })))
      .onConflictDoUpdate({
        target: programmes.programmeId,
        set: { name: sql`excluded.name`, nameTime: sql`excluded.name_time` },
        setWhere: sql`${programmes.nameTime} is null or excluded.name_time > ${programmes.nameTime} or (excluded.name_time = ${programmes.nameTime} and excluded.name > ${programmes.name})`,
      }),
  );

  const therapistNames = latest(
    ofType(events, "evoke.therapist.registered").map((event) => ({
      therapistId: event.data.therapistId,
      programmeId: event.data.programmeId,
      name: event.data.displayName,
      time: event.time,
    })),
    (row) => row.therapistId,
  );
  await inChunks(therapistNames, (rows) =>
    tx
      .insert(therapists)
      .values(
        rows.map((row) => ({
          therapistId: row.therapistId,
          programmeId: row.programmeId,
          displayName: row.name,
          nameTime: new Date(row.time),
        })),
      )
      .onConflictDoUpdate({
        target: therapists.therapistId,
        set: {
          displayName: sql`excluded.display_name`,
          programmeId: sql`excluded.programme_id`,
          nameTime: sql`excluded.name_time`,
        },
        setWhere: sql`${therapists.nameTime} is null or excluded.name_time > ${therapists.nameTime} or (excluded.name_time = ${therapists.nameTime} and excluded.display_name > ${therapists.displayName})`,
      }),
  );
}
