/**
 * The coder's speed on one core (encoder threads = 1), the shipped model (coder v2: sentence
 * encoder + classifiers, detectors, volley counts, summary, globals) beside the previous one
 * (v1, sparse features only) in the same run: utterances per second, the time to code one
 * 400-utterance session, sessions a day per core, and the process's peak RSS.
 *
 * Sessions are composed from a small bank of team-written utterances (no AnnoMI text), each
 * made unique by a clause and a number, so the encoder's per-text memory never hides its cost
 * (real transcripts rarely repeat beyond "yeah").
 *
 *   pnpm bench:coding [sessions=60]
 */
import { type Coder, loadCoder, type Utterance } from "@evoke/mi-coding";
import { madeUnique } from "./support/unique-utterance.ts";

const THERAPIST = [
  "What brings you in today?",
  "How has your drinking been since we last met?",
  "You're worried about what it's doing to your sleep.",
  "So on the one hand it helps you relax, and on the other you're not sure it's worth it any more.",
  "It sounds like your family matters a lot to you.",
  "Would it be okay if I shared what some other people have found helpful?",
  "The guideline is no more than fourteen units a week, spread over a few days.",
  "It's really up to you what you do with that.",
  "You've worked hard to cut down this month.",
  "What would be a first small step?",
  "Mm-hmm.",
  "Tell me more about that.",
  "You'd like to be healthier for your kids.",
  "Some people find that keeping a diary of when they drink helps them notice patterns.",
  "I'd recommend talking to your doctor about the patches.",
  "How confident are you, on a scale from zero to ten, that you could do that?",
];
const CLIENT = [
  "Yeah.",
  "I really want to stop before it gets worse.",
  "I don't think it's that much of a problem, honestly.",
  "My wife keeps going on about it.",
  "I like having a drink after work, it helps me switch off.",
  "I tried cutting down last year and it went okay for a while.",
  "I could probably manage weekends only.",
  "I'm not sure.",
  "It's just how everyone I know unwinds.",
  "I'd feel better in the mornings, I know that.",
  "Mm-hmm.",
  "Maybe, yeah.",
];

let serial = 0;
/** A bank line made unique (support/unique-utterance.ts), so no two utterances share a text. */
function unique(line: string, next: () => number): string {
  serial += 1;
  return madeUnique(line, next, serial % 97);
}

function session(id: number, length: number): { sessionId: string; utterances: Utterance[] } {
  let seed = id * 2_654_435_761;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const utterances: Utterance[] = Array.from({ length }, (_, i) => {
    const speaker = i % 2 === 0 || next() < 0.15 ? "therapist" : "client";
    const bank = speaker === "therapist" ? THERAPIST : CLIENT;
    return { speaker, text: unique(bank[Math.floor(next() * bank.length)] as string, next) };
  });
  return { sessionId: `ses_bench_${id}`, utterances };
}

async function measure(coder: Coder, sessionCount: number, offset: number): Promise<void> {
  const sessions = Array.from({ length: sessionCount }, (_, i) => session(offset + i, 60 + (i % 7) * 40));
  const utterances = sessions.reduce((sum, candidate) => sum + candidate.utterances.length, 0);
  for (const warm of Array.from({ length: 5 }, (_, i) => session(offset + 50_000 + i, 40))) await coder.code(warm);
  const began = performance.now();
  for (const candidate of sessions) await coder.code(candidate);
  const seconds = (performance.now() - began) / 1000;
  const perSecond = utterances / seconds;
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    // A new session each run: nothing of it is remembered from before.
    const long = session(offset + 90_000 + run, 400);
    const start = performance.now();
    await coder.code(long);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  // A 50-minute MI session runs to about 300 utterances (AnnoMI: 6-7 a minute).
  const perDay = (86_400 * perSecond) / 300;
  console.log(
    [
      `${coder.model.version}: ${sessionCount} sessions, ${utterances.toLocaleString("en")} utterances in ${seconds.toFixed(1)} s on one core: ${Math.round(perSecond).toLocaleString("en")} utterances/s`,
      `  one 400-utterance session: median ${((times[2] ?? 0) / 1000).toFixed(2)} s, best ${((times[0] ?? 0) / 1000).toFixed(2)} s (5 runs; target < 3 s)`,
      `  ≈ ${Math.round(perDay).toLocaleString("en")} sessions of 300 utterances a day per core`,
      `  peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (target < 1 GB)`,
    ].join("\n"),
  );
}

const sessionCount = Number(process.argv[2] ?? 60);
const shipped = await loadCoder(undefined, { threads: 1 });
await measure(shipped, sessionCount, 0);
await shipped.close();
const previous = await loadCoder("annomi-lr-e8def7ff33dc");
await measure(previous, sessionCount, 100_000);
await previous.close();
