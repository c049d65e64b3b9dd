import { phraseDetectors } from "./detectors.ts";
import { cuesIn } from "./lexicons.ts";
import { contentWords, normalise, tokenize } from "./tokenize.ts";
import type { Utterance } from "./transcript.ts";

/*
 * What the classifier sees of an utterance: its own words (unigrams and bigrams, how it opens
 * and ends, question marks, length), MI cue lexicons, and its place in the dialogue: cues of
 * the other speaker's previous turn and how much this turn echoes it (reflections echo what the
 * client said), and the start of the next turn (a transcript is coded after the fact, so the
 * reply is fair evidence: "yeah, exactly" follows reflections). Features are strings; the
 * model's vocabulary maps them to weights.
 *
 * Left out after cross-validation (see README): character n-grams and the previous turn's words
 * (both added noise: -3 and -1 macro-F1 points), averaged word vectors (+1 point for a 110 MB
 * dependency).
 */

/** An utterance tokenised once, with what every feature and detector needs of it. */
export interface PreparedUtterance {
  readonly speaker: Utterance["speaker"];
  readonly text: string;
  readonly tokens: readonly string[];
  readonly content: ReadonlySet<string>;
  /** Its MI cue lexicon hits (see lexicons.ts). */
  readonly cues: readonly string[];
  /** " token token … ": for whole-phrase matching. */
  readonly phrase: string;
}

export function prepare(utterances: readonly Utterance[]): PreparedUtterance[] {
  return utterances.map((utterance) => {
    const tokens = tokenize(normalise(utterance.text));
    return {
      speaker: utterance.speaker,
      text: utterance.text,
      tokens,
      content: contentWords(tokens),
      cues: cuesIn(tokens),
      phrase: ` ${tokens.join(" ")} `,
    };
  });
}

function lengthBucket(count: number): string {
  if (count <= 1) return "1";
  if (count <= 3) return "2-3";
  if (count <= 6) return "4-6";
  if (count <= 12) return "7-12";
  if (count <= 25) return "13-25";
  if (count <= 50) return "26-50";
  return "51+";
}

function overlapBucket(shared: number, size: number): string {
  if (size === 0 || shared === 0) return "0";
  const ratio = shared / size;
  if (ratio < 0.15) return "low";
  if (ratio < 0.35) return "mid";
  return "high";
}

function sharedWords(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared;
}

/**
 * The team's phrase detectors (detectors.ts) as evidence the classifiers weigh, rather than
 * rules that decide (coder v1 used them as rules).
 */
const DETECTOR_FEATURES = Object.entries(phraseDetectors);

/** The nearest turn by the other speaker in `direction` (-1 before, +1 after). */
function nearestOther(
  session: readonly PreparedUtterance[],
  index: number,
  direction: -1 | 1,
): PreparedUtterance | undefined {
  const speaker = session[index]?.speaker;
  for (let i = index + direction; i >= 0 && i < session.length; i += direction) {
    if (session[i]?.speaker !== speaker) return session[i];
  }
  return undefined;
}

export function featuresOf(session: readonly PreparedUtterance[], index: number): string[] {
  const current = session[index];
  if (current === undefined) throw new RangeError(`no utterance ${index}`);
  const { tokens } = current;
  const words = tokens.filter((token) => token !== "?");
  const out: string[] = ["bias"];

  for (const token of tokens) out.push(`w:${token}`);
  const padded = ["<s>", ...tokens, "</s>"];
  for (let i = 0; i + 1 < padded.length; i += 1) out.push(`b:${padded[i]}_${padded[i + 1]}`);
  out.push(`f1:${words[0] ?? ""}`, `f2:${words.slice(0, 2).join("_")}`, `f3:${words.slice(0, 3).join("_")}`);
  out.push(`l1:${tokens.at(-1) ?? ""}`, `l2:${tokens.slice(-2).join("_")}`);
  const questionMarks = tokens.length - words.length;
  out.push(`q:${questionMarks === 0 ? "none" : questionMarks === 1 ? "one" : "many"}`);
  if (tokens.at(-1) === "?") out.push("q:ends");
  out.push(`len:${lengthBucket(words.length)}`);
  for (const cue of current.cues) out.push(`cue:${cue}`);
  for (const [name, detects] of DETECTOR_FEATURES) if (detects(current.phrase)) out.push(`det:${name}`);
  out.push(`pos:${index < 4 ? "opening" : index > session.length - 5 ? "closing" : "middle"}`);
  out.push(session[index - 1]?.speaker === current.speaker ? "prev:same-speaker" : "prev:other-speaker");

  const previous = nearestOther(session, index, -1);
  if (previous === undefined) {
    out.push("p:none");
  } else {
    const previousWords = previous.tokens.filter((token) => token !== "?");
    out.push(`p:f1:${previousWords[0] ?? ""}`, `p:len:${lengthBucket(previousWords.length)}`);
    if (previous.tokens.at(-1) === "?") out.push("p:q:ends");
    for (const cue of previous.cues) out.push(`p:cue:${cue}`);
    const shared = sharedWords(current.content, previous.content);
    out.push(`overlap:${overlapBucket(shared, current.content.size)}`);
    if (shared >= 2) out.push("overlap:2+");
  }

  const next = nearestOther(session, index, 1);
  if (next === undefined) {
    out.push("n:none");
  } else {
    for (const token of next.tokens.slice(0, 6)) out.push(`n:w:${token}`);
    const nextWords = next.tokens.filter((token) => token !== "?");
    out.push(`n:f1:${nextWords[0] ?? ""}`, `n:len:${lengthBucket(nextWords.length)}`);
    out.push(`n:overlap:${overlapBucket(sharedWords(next.content, current.content), next.content.size)}`);
  }
  return out;
}

/**
 * The dense input of an utterance: its sentence vector and that of the other speaker's turn
 * before it (zeros at the start): what was said, and what it answers.
 */
export function denseOf(
  session: readonly PreparedUtterance[],
  vectors: readonly Float32Array[],
  index: number,
): Float32Array {
  const own = vectors[index];
  if (own === undefined) throw new RangeError(`no vector for utterance ${index}`);
  const out = new Float32Array(own.length * 2);
  out.set(own, 0);
  const speaker = session[index]?.speaker;
  for (let i = index - 1; i >= 0; i -= 1) {
    if (session[i]?.speaker !== speaker) {
      const previous = vectors[i];
      if (previous !== undefined) out.set(previous, own.length);
      break;
    }
  }
  return out;
}
