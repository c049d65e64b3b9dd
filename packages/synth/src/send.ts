import { setTimeout as delay } from "node:timers/promises";
import type { EvokeEvent } from "@evoke/events";

/*
 * Sending a generated clinic the way any sending system does: through the ingest API over HTTP,
 * in CloudEvents batches, never straight into Kafka or the database. Ingest's answers decide
 * the pace: a 202 acknowledges a whole batch (every event in it is in Kafka), 429 and 503 say
 * when to come back (Retry-After), and a refused connection (ingest restarting) is tried again.
 * Resending a batch is harmless: an event id ingest has taken has no second effect downstream.
 */

/** Ingest's limit on events per batch (docs/ingest.md#limits). */
export const MAX_BATCH_EVENTS = 1_000;

/** Ingest's default INGEST_MAX_BODY_BYTES. */
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** An event as CloudEvents structured JSON: extension attributes sit beside the others. */
export function structuredJson(event: EvokeEvent): string {
  const { extensions, ...attributes } = event;
  return JSON.stringify({ ...attributes, ...extensions });
}

/** A batch body and how many events it holds. */
export interface Batch {
  readonly body: string;
  readonly events: number;
}

/** Batch bodies of at most `maxEvents` events and `maxBytes` bytes each, in order. */
export function batches(events: readonly string[], maxBytes: number, maxEvents: number = MAX_BATCH_EVENTS): Batch[] {
  const bodies: Batch[] = [];
  let current: string[] = [];
  let bytes = 2; // the brackets
  const flush = () => {
    bodies.push({ body: `[${current.join(",")}]`, events: current.length });
    current = [];
    bytes = 2;
  };
  for (const json of events) {
    const size = Buffer.byteLength(json) + 1; // and a comma
    if (current.length > 0 && (current.length === maxEvents || bytes + size > maxBytes)) flush();
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) flush();
  return bodies;
}

export interface IngestTarget {
  /** The ingest API's base URL, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  /** The secret of an ingest API key. */
  readonly apiKey: string;
  /** Ingest's INGEST_MAX_BODY_BYTES (default 5 MiB). */
  readonly maxBodyBytes?: number;
}

/** Ingest refused a batch for good (a 4xx other than 429): resending it would not help. */
export class IngestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { readonly title?: string; readonly detail?: string },
  ) {
    super(
      `ingest answered ${status}${problem.title === undefined ? "" : ` ${problem.title}`}${problem.detail === undefined ? "" : `: ${problem.detail}`}`,
    );
    this.name = "IngestRefusedError";
  }
}

export interface SendOptions {
  /** Events per second at most (default: as fast as ingest takes them). */
  readonly rate?: number;
  /** Skip this many events, acknowledged by an earlier run (resuming). */
  readonly from?: number;
  /** After each acknowledged batch: how many events are acknowledged in all (from the start). */
  readonly onAcknowledged?: (acknowledged: number) => void | Promise<void>;
  readonly signal?: AbortSignal;
  /** How long to keep trying while ingest is unreachable or unavailable (default 10 minutes). */
  readonly patienceMs?: number;
}

const ONE_SECOND = 1_000;

function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get("retry-after") ?? "1");
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * ONE_SECOND;
}

export interface PostOptions {
  readonly signal?: AbortSignal;
  /** How long to keep trying while ingest is unreachable or unavailable (default 10 minutes). */
  readonly patienceMs?: number;
  /** Called before each wait to try again (to count retries). */
  readonly onRetry?: () => void;
}

/**
 * Posts one batch body until ingest acknowledges it (202); throws IngestRefusedError if it never
 * will. Resolves at the acknowledgement.
 */
export async function postBatch(batch: Pick<Batch, "body">, target: IngestTarget, options: PostOptions = {}) {
  const { signal, patienceMs = 10 * 60 * ONE_SECOND } = options;
  const giveUpAt = Date.now() + patienceMs;
  for (let attempt = 1; ; attempt += 1) {
    let waitMs: number;
    try {
      const response = await fetch(`${target.url}/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/cloudevents-batch+json" },
        body: batch.body,
        ...(signal === undefined ? {} : { signal }),
      });
      if (response.status === 202) {
        await response.body?.cancel();
        return;
      }
      const problem = (await response.json().catch(() => ({}))) as { title?: string; detail?: string };
      if (response.status !== 429 && response.status < 500) throw new IngestRefusedError(response.status, problem);
      waitMs = retryAfterMs(response);
    } catch (error) {
      if (error instanceof IngestRefusedError || signal?.aborted) throw error;
      // Not answered at all (refused, reset): ingest is starting or restarting.
      waitMs = Math.min(ONE_SECOND * 2 ** Math.min(attempt - 1, 3), 5 * ONE_SECOND) / 4;
    }
    options.onRetry?.();
    if (Date.now() + waitMs > giveUpAt)
      throw new Error(`ingest at ${target.url} did not take a batch for ${Math.round(patienceMs / ONE_SECOND)} s`);
    await delay(waitMs, undefined, signal === undefined ? {} : { signal });
  }
}

/**
 * Sends the events (structured JSON, in order) through ingest, batch after batch, at most
 * `rate` events a second. Returns how many events ingest acknowledged in all, `from` included.
 */
export async function sendEvents(events: readonly string[], target: IngestTarget, options: SendOptions = {}) {
  const from = options.from ?? 0;
  const { rate, signal } = options;
  // At a set rate, batches of about a tenth of a second's events keep the flow even.
  const perBatch =
    rate === undefined ? MAX_BATCH_EVENTS : Math.max(1, Math.min(MAX_BATCH_EVENTS, Math.round(rate / 10)));
  const began = performance.now();
  let acknowledged = from;
  for (const batch of batches(events.slice(from), target.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, perBatch)) {
    if (rate !== undefined) {
      const dueMs = ((acknowledged - from) / rate) * ONE_SECOND - (performance.now() - began);
      if (dueMs > 0) await delay(dueMs, undefined, signal === undefined ? {} : { signal });
    }
    await postBatch(batch, target, {
      ...(signal === undefined ? {} : { signal }),
      ...(options.patienceMs === undefined ? {} : { patienceMs: options.patienceMs }),
    });
    acknowledged += batch.events;
    await options.onAcknowledged?.(acknowledged);
  }
  return acknowledged;
}
