import { type BehaviourCounts, COUNT_NAMES, emptyCounts, type MitiCode } from "./miti.ts";
import { tokenize } from "./tokenize.ts";
import type { Speaker } from "./transcript.ts";

/*
 * MITI 4.2.1 counts behaviours per volley, not per utterance. A volley is uninterrupted
 * clinician speech between client turns; a minimal client backchannel ("yeah", "mm-hmm") does
 * not end it. Within a volley each code counts at most once, and there is at most one Question
 * and one reflection code (CR if any reflection in the volley is complex, else SR).
 */

const BACKCHANNEL = new Set([
  "yeah",
  "yes",
  "yep",
  "mm-hmm",
  "uh-huh",
  "mhm",
  "mm",
  "hmm",
  "right",
  "okay",
  "ok",
  "sure",
  "uh",
  "um",
  "oh",
]);

/** A turn to split into volleys; `tokens` saves tokenising it again when already known. */
export interface Turn {
  readonly speaker: Speaker;
  readonly text: string;
  readonly tokens?: readonly string[];
}

function isBackchannelTokens(tokens: readonly string[]): boolean {
  const words = tokens.filter((token) => token !== "?");
  return words.length > 0 && words.length <= 3 && words.every((token) => BACKCHANNEL.has(token));
}

/** A client turn of at most three tokens, all of them backchannel words. */
export function isBackchannel(text: string): boolean {
  return isBackchannelTokens(tokenize(text));
}

/** The therapist utterances of each volley, as indices into the session. */
export function volleysOf(utterances: readonly Turn[]): number[][] {
  const volleys: number[][] = [];
  let current: number[] = [];
  utterances.forEach((utterance, index) => {
    if (utterance.speaker === "therapist") {
      current.push(index);
    } else if (!isBackchannelTokens(utterance.tokens ?? tokenize(utterance.text)) && current.length > 0) {
      volleys.push(current);
      current = [];
    }
  });
  if (current.length > 0) volleys.push(current);
  return volleys;
}

/** Applies the volley rule to per-utterance code sets and tallies the MITI behaviour counts. */
export function countBehaviours(
  utterances: readonly Turn[],
  codesOf: (index: number) => readonly MitiCode[],
): { counts: BehaviourCounts; volleys: number } {
  const counts = emptyCounts();
  const volleys = volleysOf(utterances);
  for (const volley of volleys) {
    const codes = new Set(volley.flatMap((index) => codesOf(index)));
    // One reflection code per volley: complex wins.
    if (codes.has("CR")) codes.delete("SR");
    for (const code of codes) counts[COUNT_NAMES[code] as keyof BehaviourCounts] += 1;
  }
  return { counts, volleys: volleys.length };
}
