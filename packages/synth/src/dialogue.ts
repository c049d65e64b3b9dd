import { type ClientTalk, type ClosedQuestion, LINES, type TherapistBehaviour } from "./lines.ts";
import type { Random } from "./random.ts";
import type { Topic } from "./roster.ts";

/*
 * One session's transcript: 20-40 turns, therapist and client alternating. What the therapist
 * does next depends on their level of MI practice: skilled clinicians reflect (often in depth),
 * affirm, share power and leave choice with the client; unskilled ones ask closed questions,
 * inform, advise and argue. The client answers in kind, as MI research finds: reflections and
 * affirmations draw change talk, persuasion and confrontation draw sustain talk (discord), and
 * a client readier to change voices more change talk.
 */

export interface Turn {
  readonly speaker: "therapist" | "client";
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
  /** What the generator meant the turn to be (for tests and tuning; not part of any event). */
  readonly intended: TherapistBehaviour | ClientTalk | "opening" | "closing";
}

export interface DialogueSettings {
  readonly topic: Topic;
  /** The therapist's 0-1 level of MI practice in this session. */
  readonly level: number;
  /** The client's readiness to change at this session, 0-10. */
  readonly readiness: number;
  readonly firstSession: boolean;
}

/** The therapist's behaviour mix at a given level (weights, not probabilities). */
export function behaviourWeights(level: number): Record<TherapistBehaviour, number> {
  const s = Math.min(1, Math.max(0, level));
  return {
    openQuestion: 0.12 + 0.08 * s,
    closedQuestion: 0.24 - 0.2 * s,
    simpleReflection: 0.06 + 0.1 * s,
    complexReflection: 0.01 + 0.25 * s,
    affirmation: 0.01 + 0.08 * s,
    autonomy: 0.01 + 0.05 * s,
    seekCollaboration: 0.02 + 0.07 * s,
    givingInformation: 0.26 - 0.19 * s,
    persuasion: 0.2 - 0.19 * s,
    confrontation: 0.07 - 0.07 * s,
  };
}

/** How the client's next turn leans after each therapist behaviour: [change, sustain] shifts. */
const RESPONSE_SHIFT: Record<TherapistBehaviour, readonly [number, number]> = {
  openQuestion: [0.05, 0],
  closedQuestion: [0, 0],
  simpleReflection: [0.1, -0.05],
  complexReflection: [0.18, -0.1],
  affirmation: [0.15, -0.08],
  autonomy: [0.1, -0.1],
  seekCollaboration: [0.1, -0.05],
  givingInformation: [-0.05, 0.05],
  persuasion: [-0.12, 0.25],
  confrontation: [-0.18, 0.35],
};

const WORDS_PER_SECOND = 2.6;

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** Draws a line not yet used in this session (a person rarely says the same sentence twice). */
function fresh(random: Random, pool: readonly string[], used: Set<string>): string {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const line = random.pick(pool);
    if (!used.has(line)) {
      used.add(line);
      return line;
    }
  }
  return random.pick(pool);
}

/** How clients start a reply: agreeing with a reflection that landed, taking in advice. */
const CONFIRMATIONS = ["Yeah, exactly.", "Yes.", "Exactly.", "Yeah.", "Yeah, that's it."];
const ACKNOWLEDGEMENTS = ["Okay.", "Right.", "Okay, yeah.", "Mm."];

export function dialogue(random: Random, settings: DialogueSettings): Turn[] {
  const lines = LINES[settings.topic];
  const weights = behaviourWeights(settings.level);
  const length = random.int(10, 20) * 2;
  const used = new Set<string>();
  const texts: { speaker: Turn["speaker"]; text: string; intended: Turn["intended"] }[] = [];
  let lastBehaviour: TherapistBehaviour = "openQuestion";
  let lastTalk: ClientTalk = "neutral";
  let lastQuestion: ClosedQuestion | undefined;
  const say = (speaker: Turn["speaker"], text: string, intended: Turn["intended"]) => {
    texts.push({ speaker, text, intended });
  };

  for (let index = 0; index < length; index += 1) {
    if (index % 2 === 0) {
      if (index === 0) {
        say(
          "therapist",
          fresh(random, settings.firstSession ? lines.openings.first : lines.openings.followUp, used),
          "opening",
        );
        lastBehaviour = "openQuestion";
      } else if (index === length - 2) {
        // Skilled therapists close with a summary and the client's say; others with instructions.
        const skilled = random.chance(settings.level);
        say("therapist", fresh(random, skilled ? lines.closings.skilled : lines.closings.directive, used), "closing");
        lastBehaviour = skilled ? "complexReflection" : "persuasion";
      } else {
        const behaviour = random.weighted(weights);
        let text: string;
        if (behaviour === "simpleReflection" || behaviour === "complexReflection") {
          // A reflection answers what the client just said; neutral talk is reflected as either.
          const of = lastTalk === "neutral" ? (random.chance(0.5) ? "change" : "sustain") : lastTalk;
          text = fresh(random, lines.reflections[behaviour][of], used);
        } else if (behaviour === "closedQuestion") {
          const questions = lines.closedQuestions.filter((candidate) => !used.has(candidate.question));
          lastQuestion = random.pick(questions.length > 0 ? questions : lines.closedQuestions);
          used.add(lastQuestion.question);
          text = lastQuestion.question;
        } else {
          text = fresh(random, lines.therapist[behaviour], used);
          // The righting reflex: a clinician who informs and advises tends to go on doing so.
          if (behaviour === "givingInformation" || behaviour === "persuasion") {
            for (let more = 0; more < 2 && random.chance(0.6 * (1 - settings.level)); more += 1) {
              text = `${text} ${fresh(random, lines.therapist[random.chance(0.5) ? "givingInformation" : "persuasion"], used)}`;
            }
          }
        }
        say("therapist", text, behaviour);
        lastBehaviour = behaviour;
      }
      continue;
    }

    if (index === length - 1) {
      say("client", fresh(random, lines.closings.client, used), "closing");
      continue;
    }
    if (lastBehaviour === "closedQuestion" && lastQuestion !== undefined && random.chance(0.75)) {
      lastTalk = "neutral";
      say("client", random.pick(lastQuestion.answers), "neutral");
      continue;
    }
    const [towardsChange, towardsSustain] = RESPONSE_SHIFT[lastBehaviour];
    const readiness = Math.min(10, Math.max(0, settings.readiness));
    const change = Math.max(0.02, 0.12 + 0.04 * readiness + towardsChange);
    const sustain = Math.max(0.02, 0.42 - 0.03 * readiness + towardsSustain);
    lastTalk = random.weighted({ change, sustain, neutral: Math.max(0.1, 1 - change - sustain) });
    let text = fresh(random, lines.client[lastTalk], used);
    if (lastBehaviour === "simpleReflection" || lastBehaviour === "complexReflection") {
      // Clients often confirm a reflection that landed before going on.
      if (lastTalk === "change" && random.chance(0.5)) text = `${random.pick(CONFIRMATIONS)} ${text}`;
    } else if (lastBehaviour === "givingInformation" || lastBehaviour === "persuasion") {
      if (random.chance(0.5)) text = `${random.pick(ACKNOWLEDGEMENTS)} ${text}`;
    }
    say("client", text, lastTalk);
  }

  // Timings as a recorder would give them: speech at about 2.6 words a second, short pauses.
  let clock = random.int(0, 4000);
  return texts.map(({ speaker, text, intended }) => {
    const startMs = clock;
    const endMs = startMs + Math.round((1000 * wordCount(text)) / WORDS_PER_SECOND) + random.int(0, 600);
    clock = endMs + random.int(250, 1400);
    return { speaker, text, startMs, endMs, intended };
  });
}
