import { setTimeout as delay } from "node:timers/promises";
import { connectDatabase, hasRecordedEvents } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import { reason } from "./errors.ts";
import { seconds } from "./format.ts";

/*
 * Demo data for `npm start`: a demo clinic's intake events (@evoke/demo-clinic), sent through
 * the ingest API like any sending system's, so they take the whole path: ingest → Kafka → the
 * coding service codes the transcripts → the aggregation service writes PostgreSQL.
 */

/** Ingest's limit on events per batch (docs/ingest.md#limits). */
const MAX_BATCH_EVENTS = 1_000;

/** Whether the database has recorded no event yet: a new installation, where a demo fits. */
async function holdsNoEvents(databaseUrl: string): Promise<boolean> {
  const connection = connectDatabase(databaseUrl, { max: 1, applicationName: "evoke-npm-start" });
  try {
    return !(await hasRecordedEvents(connection.db));
  } finally {
    await connection.close();
  }
}

/** An event as CloudEvents structured JSON: extension attributes sit beside the others. */
function structuredJson(event: EvokeEvent): string {
  const { extensions, ...attributes } = event;
  return JSON.stringify({ ...attributes, ...extensions });
}

/** The demo clinic's events as structured JSON, in time order. */
async function demoClinicEvents(now: Date): Promise<string[]> {
  // Imported when needed: the generator brings in the coder, seconds of loading that every other
  // `pnpm infra` command can do without.
  const { demoClinic } = await import("@evoke/demo-clinic");
  return demoClinic({ now }).map(structuredJson);
}

/** Batch bodies of at most MAX_BATCH_EVENTS events and `maxBytes` bytes each, in order. */
export function batches(events: readonly string[], maxBytes: number): string[] {
  const bodies: string[] = [];
  let current: string[] = [];
  let bytes = 2; // the brackets
  for (const json of events) {
    const size = Buffer.byteLength(json) + 1; // and a comma
    if (current.length > 0 && (current.length === MAX_BATCH_EVENTS || bytes + size > maxBytes)) {
      bodies.push(`[${current.join(",")}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) bodies.push(`[${current.join(",")}]`);
  return bodies;
}

export interface IngestTarget {
  /** The ingest API's base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** The secret of an ingest API key. */
  readonly apiKey: string;
  /** Ingest's INGEST_MAX_BODY_BYTES. */
  readonly maxBodyBytes: number;
}

/**
 * Posts the events in batches, waiting out `429`s. Returns how many ingest accepted; throws on
 * any other answer (a batch is all or nothing, and a resent event has no second effect).
 */
async function send(events: readonly string[], ingest: IngestTarget, signal: AbortSignal): Promise<number> {
  let accepted = 0;
  for (const body of batches(events, ingest.maxBodyBytes)) {
    for (;;) {
      const response = await fetch(`${ingest.url}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingest.apiKey}`, "content-type": "application/cloudevents-batch+json" },
        body,
        signal,
      });
      const answer = (await response.json().catch(() => ({}))) as { accepted?: number; title?: string };
      if (response.status === 202) {
        accepted += answer.accepted ?? 0;
        break;
      }
      if (response.status !== 429) {
        throw new Error(`ingest answered ${response.status}${answer.title === undefined ? "" : ` ${answer.title}`}`);
      }
      const waitSeconds = Number(response.headers.get("retry-after") ?? "1");
      await delay((Number.isFinite(waitSeconds) ? waitSeconds : 1) * 1_000, undefined, { signal });
    }
  }
  return accepted;
}

type Prepared = { readonly events: string[] } | { readonly error: unknown };

/** What `npm start` does about demo data: a summary line, or events to send once ingest serves. */
export type DemoData = { readonly summary: string } | { readonly prepared: Promise<Prepared> };

export interface DemoDataOptions {
  /** EVOKE_DEMO_DATA. */
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
  if (!options.enabled) return { summary: "off (EVOKE_DEMO_DATA=0)" };
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
    const sent = await send(prepared.events, ingest, signal);
    return `${sent.toLocaleString("en")} events of a demo clinic sent through ingest in ${seconds(Date.now() - began)}; coding and aggregation are catching up`;
  } catch (error) {
    return signal.aborted ? "interrupted" : `not sent: ${reason(error)}`;
  }
}
