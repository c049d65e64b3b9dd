import type { EvokeEvent } from "@evoke/events";
import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import { readinessMeasurements } from "../schema/index.ts";
import { column, unnestRows } from "./bulk.ts";
import type { ClientProgramme } from "./episodes.ts";
import { ofType } from "./events.ts";

type Score = { value: number; min: number; max: number };

/**
 * URICA's readiness composite, C + A + M − PC over the subscale means (mi-domain.md section 4),
 * on the scale those bounds give (1–5 subscales: −2 to 14). Undefined unless all four are there.
 */
function uricaReadiness(scores: Record<string, Score>): Score | undefined {
  const { precontemplation, contemplation, action, maintenance } = scores;
  if (!precontemplation || !contemplation || !action || !maintenance) return undefined;
  const gains = [contemplation, action, maintenance];
  return {
    value: gains.reduce((sum, score) => sum + score.value, 0) - precontemplation.value,
    min: gains.reduce((sum, score) => sum + score.min, 0) - precontemplation.max,
    max: gains.reduce((sum, score) => sum + score.max, 0) - precontemplation.min,
  };
}

function itemsOf(instrument: string, scores: Record<string, Score>): [string, Score][] {
  const items = Object.entries(scores);
  const composite = instrument === "urica" ? uricaReadiness(scores) : undefined;
  return composite === undefined ? items : [...items, ["readiness", composite]];
}

/** The client-programme pairs the readiness events concern. */
export function readinessPairs(events: readonly EvokeEvent[]): ClientProgramme[] {
  return ofType(events, "evoke.readiness.measured").map((event) => ({
    clientId: event.data.clientId,
    programmeId: event.data.programmeId,
  }));
}

/** One row per item of each readiness measure (plus URICA's derived readiness), with its scale. */
export async function recordReadiness(tx: Transaction, events: readonly EvokeEvent[]): Promise<void> {
  const rows = ofType(events, "evoke.readiness.measured").flatMap((event) =>
    itemsOf(event.data.instrument, event.data.scores as Record<string, Score>).map(([item, score]) => ({
      source: event.source,
      eventId: event.id,
      item,
      clientId: event.data.clientId,
      programmeId: event.data.programmeId,
      sessionId: event.data.sessionId ?? null,
      instrument: event.data.instrument,
      value: score.value,
      scaleMin: score.min,
      scaleMax: score.max,
      measuredAt: new Date(event.data.measuredAt),
    })),
  );
  if (rows.length === 0) return;
  const { list, select } = unnestRows([
    column("source", "text", rows, (row) => row.source),
    column("event_id", "text", rows, (row) => row.eventId),
    column("item", "text", rows, (row) => row.item),
    column("client_id", "text", rows, (row) => row.clientId),
    column("programme_id", "text", rows, (row) => row.programmeId),
    column("session_id", "text", rows, (row) => row.sessionId),
    column("instrument", "text", rows, (row) => row.instrument),
    column("value", "real", rows, (row) => row.value),
    column("scale_min", "real", rows, (row) => row.scaleMin),
    column("scale_max", "real", rows, (row) => row.scaleMax),
    column("measured_at", "timestamptz", rows, (row) => row.measuredAt),
  ]);
  await tx.execute(sql`insert into ${readinessMeasurements} (${list}) ${select} on conflict do nothing`);
}
