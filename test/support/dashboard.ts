import { type DashboardToken, Secret } from "@evoke/config";
import type { Database } from "@evoke/db";
import { recordEvents } from "@evoke/db";
import { codedDemoClinic, type DemoClinicOptions } from "@evoke/synth";
import { parse } from "csv-parse/sync";

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

export const TOKENS = {
  director: "director-all-programmes",
  alcoholDirector: "director-alcohol-only",
  smokingAnalyst: "analyst-smoking-only",
  engineer: "engineer-pipeline-only",
} as const;

/** Four tokens: an unscoped director, a director and an analyst scoped to one programme each, an engineer. */
export function dashboardTokens(): DashboardToken[] {
  return [
    { name: "director", secret: new Secret(TOKENS.director), role: "director", programmeIds: null },
    {
      name: "alcohol-director",
      secret: new Secret(TOKENS.alcoholDirector),
      role: "director",
      programmeIds: ["prg_alcohol"],
    },
    {
      name: "smoking-analyst",
      secret: new Secret(TOKENS.smokingAnalyst),
      role: "analyst",
      programmeIds: ["prg_smoking"],
    },
    { name: "engineer", secret: new Secret(TOKENS.engineer), role: "engineer", programmeIds: null },
  ];
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** CSV as a spreadsheet would read it (csv-parse: RFC 4180), to check what the API writes. */
export function parseCsv(text: string): string[][] {
  return parse(text, { relaxColumnCount: false }) as string[][];
}
