import { setTimeout as delay } from "node:timers/promises";
import type { EvokeEvent } from "@evoke/events";
import { synthClinic } from "@evoke/synth";
import { type Batch, batches, postBatch as sendOne, structuredJson } from "@evoke/synth/send";
import { madeUnique } from "./unique-utterance.ts";

/*
 * Load for the pipeline benchmark, sent the way a clinic's systems send it: CloudEvents batches
 * over HTTP to the ingest API. Small events come from a fast seeded generator (the mix of
 * support/synthetic-clinic.ts without transcripts and codings); transcripts come from the
 * synthetic clinic of packages/synth, with real dialogue, so coding does its real work.
 */

/** Ingest's default INGEST_MAX_BODY_BYTES. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface SmallEvent {
  /** CloudEvents structured JSON. */
  readonly json: string;
  readonly enrolment: boolean;
}

const SMALL_SOURCE = "urn:bench:pipeline";
const DAY_MS = 86_400_000;
const BASE_TIME = Date.parse("2025-01-01T00:00:00Z");

/**
 * `count` small intake events (a little more, to finish the last client's history), client after
 * client: an enrolment, readiness rulers at the start and the end, 3 to 9 weekly sessions each
 * scheduled and then attended (70%), missed (20%) or cancelled (10%), and for half the clients a
 * discharge: about 15 events a client, over 10 programmes and 200 therapists. Ids carry `prefix`,
 * so several streams can go into one pipeline without ingest taking them as resends.
 */
export function smallEvents(count: number, prefix: string, seed = 20_261_126): SmallEvent[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const at = (day: number) => new Date(BASE_TIME + day * DAY_MS).toISOString();
  const events: SmallEvent[] = [];
  const add = (type: string, time: string, subject: string, data: Record<string, unknown>) => {
    const json = JSON.stringify({
      specversion: "1.0",
      id: `evt_${prefix}_${events.length + 1}`,
      source: SMALL_SOURCE,
      type,
      time,
      subject,
      datacontenttype: "application/json",
      data,
    });
    events.push({ json, enrolment: type === "evoke.client.enrolled" });
  };
  for (let client = 1; events.length < count; client += 1) {
    const clientId = `cli_${prefix}_${client}`;
    const programmeId = `prg_load_${client % 10}`;
    const therapistId = `thr_load_${client % 200}`;
    const start = Math.floor(random() * 600);
    add("evoke.client.enrolled", at(start), clientId, {
      clientId,
      programmeId,
      enrolledAt: at(start),
      referralSource: ["gp", "self", "court"][Math.floor(random() * 3)],
    });
    const ruler = (day: number) =>
      add("evoke.readiness.measured", at(day), clientId, {
        clientId,
        programmeId,
        measuredAt: at(day),
        instrument: "readiness-ruler",
        scores: {
          importance: { value: Math.floor(random() * 11) },
          confidence: { value: Math.floor(random() * 11) },
          readiness: { value: Math.floor(random() * 11) },
        },
      });
    ruler(start);
    const sessions = 3 + Math.floor(random() * 7);
    for (let s = 1; s <= sessions; s += 1) {
      const sessionId = `ses_${prefix}_${client}_${s}`;
      const day = start + 7 * s;
      add("evoke.session.scheduled", at(day - 7), clientId, {
        sessionId,
        clientId,
        therapistId,
        programmeId,
        scheduledAt: at(day),
      });
      const outcome = random();
      if (outcome < 0.2) {
        add("evoke.session.missed", at(day), clientId, { sessionId, clientId, programmeId, scheduledAt: at(day) });
      } else if (outcome < 0.3) {
        add("evoke.session.cancelled", at(day), clientId, { sessionId, clientId, programmeId, cancelledBy: "client" });
      } else {
        add("evoke.session.attended", at(day), clientId, {
          sessionId,
          clientId,
          therapistId,
          programmeId,
          occurredAt: at(day),
          durationMinutes: 50,
        });
      }
    }
    ruler(start + 7 * sessions);
    if (random() < 0.5) {
      const day = start + 7 * sessions + 1;
      add("evoke.client.discharged", at(day), clientId, {
        clientId,
        programmeId,
        dischargedAt: at(day),
        reason: random() < 0.5 ? "completed" : "dropped_out",
      });
    }
  }
  return events;
}

/** prefix[n]: how many of the first n events are enrolments. */
export function enrolmentPrefix(events: readonly SmallEvent[]): Uint32Array {
  const prefix = new Uint32Array(events.length + 1);
  events.forEach((event, index) => {
    prefix[index + 1] = (prefix[index] ?? 0) + (event.enrolment ? 1 : 0);
  });
  return prefix;
}

export interface TranscriptLoad {
  /** Everything the transcripts' sessions need first: registrations, enrolments, sessions, rulers. */
  readonly prerequisites: string[];
  /** `count` evoke.transcript.submitted events. */
  readonly transcripts: string[];
  readonly utterances: number;
}

/** Left out of a transcript load's prerequisites; see transcriptLoad. */
const LEFT_OUT = new Set([
  "evoke.transcript.submitted",
  "evoke.fidelity.rated",
  "evoke.programme.registered",
  "evoke.therapist.registered",
]);

/*
 * The synthetic clinic composes its dialogue from a few hundred lines, so 85% of a load's
 * utterances repeat an earlier text, and the coding service's encoder remembers vectors by text:
 * after its first thousand lines it codes a synthetic transcript at a fraction of a real one's
 * cost. Real dialogue repeats far less: in AnnoMI's training split 23.5% of utterances repeat an
 * earlier one, nearly all short turns ("Mm-hmm.", "Yeah."). So each utterance of four words or
 * more is made unique (support/unique-utterance.ts, as bench/coding.ts does) with this probability,
 * which leaves about that share repeating.
 */
const UNIQUE_SHARE = 0.83;
/** Counts on across loads in one process: no two loads share a made-unique text. */
let uniqueSerial = 0;

/** The transcript's utterances, most of them made unique (UNIQUE_SHARE). */
function withRealisticRepeats(transcript: EvokeEvent, random: () => number): EvokeEvent {
  const data = transcript.data as { utterances: { text: string }[] };
  const utterances = data.utterances.map((utterance) => {
    if (utterance.text.split(/\s+/).length < 4 || random() >= UNIQUE_SHARE) return utterance;
    uniqueSerial += 1;
    return { ...utterance, text: madeUnique(utterance.text, random, uniqueSerial) };
  });
  return { ...transcript, data: { ...data, utterances } } as EvokeEvent;
}

/**
 * `count` transcripts of a synthetic clinic and the clinic's other events. Left out: human
 * fidelity ratings (a rated session already counts in sessionsCoded, which would blur the count
 * of transcripts coded) and the registrations of programmes and therapists, whose event ids
 * are the same whatever the id prefix (a second load into one pipeline would resend them, and
 * the counts of recorded events would fall short); the aggregation makes a row for every
 * programme and therapist an event mentions, registered or not. The utterances repeat each
 * other about as often as real dialogue does (withRealisticRepeats).
 */
export function transcriptLoad(count: number, idPrefix: string): TranscriptLoad {
  // About five transcripts a client over the default ten months; a third more for safety.
  const clinic = synthClinic({ clients: Math.ceil((count / 5) * 1.35) + 10, idPrefix, seed: 7_207 });
  let state = 4_242;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const transcripts = clinic.events
    .filter((event) => event.type === "evoke.transcript.submitted")
    .slice(0, count)
    .map((transcript) => withRealisticRepeats(transcript, random));
  if (transcripts.length < count) throw new Error(`the clinic has only ${transcripts.length} transcripts`);
  const prerequisites = clinic.events.filter((event) => !LEFT_OUT.has(event.type));
  const utterances = transcripts.reduce(
    (sum, event: EvokeEvent) => sum + (event.data as { utterances: unknown[] }).utterances.length,
    0,
  );
  return { prerequisites: prerequisites.map(structuredJson), transcripts: transcripts.map(structuredJson), utterances };
}

export interface IngestTarget {
  readonly url: string;
  readonly apiKey: string;
}

/** Batch bodies of at most `perBatch` events (and ingest's byte limit). */
export function batchBodies(json: readonly string[], perBatch: number): Batch[] {
  return batches(json, MAX_BODY_BYTES, perBatch);
}

/**
 * Posts one batch with the synthetic clinic's sender until ingest answers 202; returns the time
 * (performance.now()) of the 202.
 * 429 and 5xx are tried again after Retry-After (and counted), a 4xx other than 429 stops the
 * benchmark: the load itself is wrong.
 */
export async function postBatch(target: IngestTarget, body: string, onRetry?: () => void): Promise<number> {
  await sendOne({ body }, target, onRetry === undefined ? {} : { onRetry });
  return performance.now();
}

export interface Accepted {
  /** performance.now() of each batch's 202, in the order of `bodies`. */
  readonly acceptedAt: number[];
  /** Requests repeated after 429, 5xx or a refused connection. */
  readonly retries: number;
}

/** Posts every body, `concurrency` requests at a time, as fast as ingest answers. */
export async function postAll(target: IngestTarget, bodies: readonly Batch[], concurrency: number): Promise<Accepted> {
  const acceptedAt: number[] = new Array(bodies.length).fill(0);
  let retries = 0;
  let next = 0;
  const sender = async () => {
    for (let index = next++; index < bodies.length; index = next++) {
      acceptedAt[index] = await postBatch(target, (bodies[index] as Batch).body, () => {
        retries += 1;
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return { acceptedAt, retries };
}

export interface PacedBatch {
  /** Events in this batch and every batch sent before it. */
  readonly cumulative: number;
  readonly sentAt: number;
  readonly acceptedAt: number;
}

/** Requests a paced sender keeps in flight at most, when ingest answers slower than the pace. */
const PACED_IN_FLIGHT = 8;

/**
 * Sends `json` at `rate` events a second, in batches of a tenth of a second's events, each at
 * its due time whether or not the previous one has been answered (up to PACED_IN_FLIGHT
 * requests at once): an open-loop load, so a slow answer does not lower the offered rate.
 * Stops when the events run out or `signal` aborts; records each batch's 202, in send order.
 */
export async function sendPaced(
  target: IngestTarget,
  json: readonly string[],
  rate: number,
  signal?: AbortSignal,
): Promise<PacedBatch[]> {
  const perBatch = Math.max(1, Math.round(rate / 10));
  const posts: Promise<PacedBatch>[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const began = performance.now();
  let cumulative = 0;
  for (const batch of batchBodies(json, perBatch)) {
    if (signal?.aborted) break;
    const dueMs = (cumulative / rate) * 1_000 - (performance.now() - began);
    if (dueMs > 0) await delay(dueMs);
    while (inFlight.size >= PACED_IN_FLIGHT) await Promise.race(inFlight);
    if (signal?.aborted) break;
    cumulative += batch.events;
    const sentAt = performance.now();
    const upTo = cumulative;
    const post = postBatch(target, batch.body).then((acceptedAt) => ({ cumulative: upTo, sentAt, acceptedAt }));
    // Failures surface from Promise.all below; this copy only frees the slot.
    const settled: Promise<void> = post.then(
      () => undefined,
      () => undefined,
    );
    void settled.then(() => inFlight.delete(settled));
    inFlight.add(settled);
    posts.push(post);
  }
  return Promise.all(posts);
}
