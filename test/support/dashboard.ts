import type { Database } from "@evoke/db";
import { recordEvents } from "@evoke/db";
import { codedDemoClinic, type DemoClinicOptions } from "@evoke/demo-clinic";

/*
 * Dashboard test data: the demo clinic, coded by the shipped model, recorded straight into the
 * database (the same projections the aggregation sink runs, without Kafka in between).
 */

export const DEMO_NOW = new Date("2026-11-01T12:00:00Z");

export async function seedDemoClinic(db: Database, options: DemoClinicOptions = {}): Promise<number> {
  const events = await codedDemoClinic({ now: DEMO_NOW, ...options });
  for (let start = 0; start < events.length; start += 2_000) {
    await db.transaction((tx) => recordEvents(tx, events.slice(start, start + 2_000)));
  }
  return events.length;
}
