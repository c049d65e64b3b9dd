import type { EvokeEvent } from "@evoke/events";
import type { Transaction } from "../client.ts";
import { readinessMeasurements } from "../schema/index.ts";
import { inChunks } from "./chunks.ts";
import { ofType } from "./events.ts";

/** One row per item of each readiness measure, with its scale. */
export async function recordReadiness(tx: Transaction, events: readonly EvokeEvent[]): Promise<void> {
  const rows = ofType(events, "evoke.readiness.measured").flatMap((event) =>
    Object.entries(event.data.scores as Record<string, { value: number; min: number; max: number }>).map(
      ([item, score]) => ({
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
      }),
    ),
  );
  await inChunks(rows, (chunk) => tx.insert(readinessMeasurements).values(chunk).onConflictDoNothing());
}
