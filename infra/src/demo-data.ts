import { connectDatabase, hasRecordedEvents } from "@evoke/db";
import type { IngestTarget } from "@evoke/synth/send";
import { reason } from "./errors.ts";
import { seconds } from "./format.ts";

/*
 * Demo data for `npm start`: a demo clinic's intake events (@evoke/synth), sent through
 * the ingest API like any sending system's, so they take the whole path: ingest → Kafka → the
 * coding service codes the transcripts → the aggregation service writes PostgreSQL.
 */

/** Whether the database has recorded no event yet: a new installation, where a demo fits. */
async function holdsNoEvents(databaseUrl: string): Promise<boolean> {
  const connection = connectDatabase(databaseUrl, { max: 1, applicationName: "evoke-npm-start" });
  try {
    return !(await hasRecordedEvents(connection.db));
  } finally {
    await connection.close();
  }
}

/** The demo clinic's events as structured JSON, in time order. */
async function demoClinicEvents(now: Date): Promise<string[]> {
  // Imported when needed: the generator brings in the coder, seconds of loading that every other
  // `pnpm infra` command can do without.
  const { demoClinic } = await import("@evoke/synth");
  const { structuredJson } = await import("@evoke/synth/send");
  return demoClinic({ now }).map(structuredJson);
}

type Prepared = { readonly events: string[] } | { readonly error: unknown };

/** What `npm start` does about demo data: a summary line, or events to send once ingest serves. */
export type DemoData = { readonly summary: string } | { readonly prepared: Promise<Prepared> };

export interface DemoDataOptions {
  /** EVOKE_DEMO, unless `npm start -- --no-demo`. */
  readonly enabled: boolean;
  /** Whether ingest runs with npm start's demo key (INGEST_API_KEYS unset). */
  readonly demoKey: boolean;
  readonly databaseUrl: string;
  readonly now: Date;
}

/**
 * Decides, before the services start, whether the demo clinic fits: asked for, with npm start's
 * own demo key (configured keys mean real sending systems) and into a database with no events
 * yet. If so, generates its events while the services start.
 */
export async function planDemoData(options: DemoDataOptions): Promise<DemoData> {
  if (!options.enabled) return { summary: "off (--no-demo or EVOKE_DEMO=0)" };
  if (!options.demoKey) return { summary: "none sent: INGEST_API_KEYS is set (the demo goes with the demo key only)" };
  try {
    if (!(await holdsNoEvents(options.databaseUrl))) return { summary: "none sent: the database already holds events" };
  } catch (error) {
    return { summary: `none sent: the database could not be read (${reason(error)})` };
  }
  const prepared = demoClinicEvents(options.now).then(
    (events) => ({ events }),
    (error: unknown) => ({ error }),
  );
  return { prepared };
}

/**
 * Sends the planned demo data through ingest. Never fails the start: the returned line (for
 * the start-up summary) says what happened.
 */
export async function sendDemoData(plan: DemoData, ingest: IngestTarget, signal: AbortSignal): Promise<string> {
  if ("summary" in plan) return plan.summary;
  const began = Date.now();
  try {
    const prepared = await plan.prepared;
    if ("error" in prepared) throw prepared.error;
    const { sendEvents } = await import("@evoke/synth/send");
    const sent = await sendEvents(prepared.events, ingest, { signal, patienceMs: 60_000 });
    return `${sent.toLocaleString("en")} events of a demo clinic sent through ingest in ${seconds(Date.now() - began)}; coding and aggregation are catching up`;
  } catch (error) {
    return signal.aborted ? "interrupted" : `not sent: ${reason(error)}`;
  }
}
