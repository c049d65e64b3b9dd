/**
 * The coder's speed on one core: utterances per second over many sessions, and the time to code
 * one 400-utterance session (classification, detectors, volley counts, summary, globals).
 * Sessions are composed from a small bank of team-written utterances (no AnnoMI text).
 *
 *   pnpm bench:coding [sessions=300]
 */
import { codeSession, loadModel, type Utterance } from "@evoke/mi-coding";

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

function session(id: number, length: number): { sessionId: string; utterances: Utterance[] } {
  let seed = id * 2_654_435_761;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const utterances: Utterance[] = Array.from({ length }, (_, i) => {
    const speaker = i % 2 === 0 || next() < 0.15 ? "therapist" : "client";
    const bank = speaker === "therapist" ? THERAPIST : CLIENT;
    return { speaker, text: bank[Math.floor(next() * bank.length)] as string };
  });
  return { sessionId: `ses_bench_${id}`, utterances };
}

const sessionCount = Number(process.argv[2] ?? 300);
const model = await loadModel();
const sessions = Array.from({ length: sessionCount }, (_, i) => session(i, 60 + (i % 7) * 40));
const utterances = sessions.reduce((sum, candidate) => sum + candidate.utterances.length, 0);

for (const warm of sessions.slice(0, 20)) codeSession(model, warm); // JIT warm-up
const began = performance.now();
for (const candidate of sessions) codeSession(model, candidate);
const seconds = (performance.now() - began) / 1000;
console.log(
  `${sessionCount} sessions, ${utterances.toLocaleString("en")} utterances in ${seconds.toFixed(2)} s on one core: ${Math.round(utterances / seconds).toLocaleString("en")} utterances/s (target ≥ 10,000)`,
);

const long = session(9_999, 400);
const times: number[] = [];
for (let run = 0; run < 20; run += 1) {
  const start = performance.now();
  codeSession(model, long);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(
  `one 400-utterance session: median ${(times[10] ?? 0).toFixed(1)} ms, best ${(times[0] ?? 0).toFixed(1)} ms (20 runs)`,
);
