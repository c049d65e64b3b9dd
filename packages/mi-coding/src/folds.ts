import type { LabelledSession } from "./annomi.ts";
import { seededRandom, shuffled } from "./random.ts";

/**
 * Splits sessions into k folds by transcript (never by utterance: a session's utterances are
 * strongly correlated), spreading high- and low-quality sessions evenly.
 */
export function foldsByTranscript(sessions: readonly LabelledSession[], k: number, seed: number): LabelledSession[][] {
  const random = seededRandom(seed);
  const folds: LabelledSession[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const quality of ["high", "low"] as const) {
    const group = shuffled(
      sessions
        .filter((session) => session.quality === quality)
        .sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true })),
      random,
    );
    for (const session of group) {
      folds[next % k]?.push(session);
      next += 1;
    }
  }
  return folds;
}
