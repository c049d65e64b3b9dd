import type { EvokeEvent } from "@evoke/events";

/*
 * How an automatic coding's per-utterance codes are stored: one compact tuple per utterance,
 * in transcript order, [category, reflection, MITI code, confidence]. The index is the position
 * and the speaker follows from the category, so neither is repeated. A third of the size of the
 * event's objects: at a million sessions that is gigabytes, and it is most of what the sink
 * writes per coding (bench/aggregation).
 */

type CodedUtterance = Extract<EvokeEvent, { type: "evoke.session.coded" }>["data"]["utterances"][number];

export type StoredUtteranceCode = readonly [
  category: string,
  reflection: "simple" | "complex" | null,
  miti: string | null,
  confidence: number,
];

const CLIENT_CATEGORIES = new Set(["change", "sustain", "neutral"]);

export function compactUtteranceCodes(utterances: readonly CodedUtterance[]): StoredUtteranceCode[] {
  return utterances.map((utterance) => [
    utterance.category,
    utterance.reflection ?? null,
    utterance.miti ?? null,
    Math.round(utterance.confidence * 1_000) / 1_000,
  ]);
}

export interface UtteranceCode {
  readonly index: number;
  readonly speaker: "therapist" | "client";
  readonly category: string;
  readonly reflection?: "simple" | "complex";
  readonly miti?: string;
  readonly confidence: number;
}

/** The stored tuples back as the event's objects (confidence to three decimals). */
export function expandUtteranceCodes(stored: readonly StoredUtteranceCode[]): UtteranceCode[] {
  return stored.map(([category, reflection, miti, confidence], index) => ({
    index,
    speaker: CLIENT_CATEGORIES.has(category) ? "client" : "therapist",
    category,
    ...(reflection === null ? {} : { reflection }),
    ...(miti === null ? {} : { miti }),
    confidence,
  }));
}
