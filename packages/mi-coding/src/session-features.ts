import type { BehaviourCounts, MitiCode } from "./miti.ts";
import { tokenize } from "./tokenize.ts";
import type { Utterance } from "./transcript.ts";
import { isBackchannel, type Turn } from "./volleys.ts";

/*
 * Session-level measures of MI practice, computed from a session's codes. They feed the
 * global-rating estimates; rates are per volley (per client turn for client talk) so sessions
 * of different lengths compare, and ratios are smoothed so short sessions do not swing to 0 or ∞.
 * The mean probabilities are the coder's soft view of the same behaviours: averaging them is
 * less noisy than counting its hard decisions.
 */

export const SESSION_FEATURES = [
  "reflectionToQuestion",
  "complexShare",
  "reflectionRate",
  "questionRate",
  "informationRate",
  "persuadeRate",
  "adherentRate",
  "nonAdherentRate",
  "changeShare",
  "changeRate",
  "sustainRate",
  "therapistTalkShare",
  "therapistTurnLength",
  "meanReflectionProbability",
  "meanQuestionProbability",
  "meanInputProbability",
  "meanChangeProbability",
  "meanSustainProbability",
  // Coder v2: what the manual's global anchors read (see globals.ts).
  "confrontRate",
  "seekRate",
  "adviceInformationRate",
  "arguedSustainShare",
  "changeReflectedShare",
  "sustainTurns",
] as const;

export type SessionFeature = (typeof SESSION_FEATURES)[number];
export type SessionMeasures = Record<SessionFeature, number>;

export interface TalkCounts {
  readonly change: number;
  readonly sustain: number;
  readonly clientTurns: number;
}

/** The coder's average probability of each category, over the speaker's utterances. */
export interface MeanProbabilities {
  readonly reflection: number;
  readonly question: number;
  readonly input: number;
  readonly change: number;
  readonly sustain: number;
}

export function meanProbabilities(
  coded: readonly { readonly speaker: Utterance["speaker"]; readonly distribution: Readonly<Record<string, number>> }[],
): MeanProbabilities {
  const mean = (speaker: Utterance["speaker"], label: string) => {
    const of = coded.filter((utterance) => utterance.speaker === speaker);
    return of.reduce((sum, utterance) => sum + (utterance.distribution[label] ?? 0), 0) / Math.max(1, of.length);
  };
  return {
    reflection: mean("therapist", "reflection"),
    question: mean("therapist", "question"),
    input: mean("therapist", "input"),
    change: mean("client", "change"),
    sustain: mean("client", "sustain"),
  };
}

/** Change and sustain talk among the coded client utterances. */
export function talkCounts(
  coded: readonly { readonly speaker: Utterance["speaker"]; readonly category: string }[],
): TalkCounts {
  const client = coded.filter((utterance) => utterance.speaker === "client");
  return {
    change: client.filter((utterance) => utterance.category === "change").length,
    sustain: client.filter((utterance) => utterance.category === "sustain").length,
    clientTurns: client.length,
  };
}

interface CodedTurn {
  readonly speaker: Utterance["speaker"];
  readonly category: string;
  readonly codes: readonly MitiCode[];
}

/**
 * How the clinician answers one kind of client talk: the share of those client turns whose next
 * clinician volley (up to the next substantive client turn) shows any of `codes`.
 */
function answeredShare(
  coded: readonly CodedTurn[],
  utterances: readonly Turn[],
  talk: "change" | "sustain",
  codes: readonly MitiCode[],
): number {
  let turns = 0;
  let answered = 0;
  coded.forEach((utterance, index) => {
    if (utterance.speaker !== "client" || utterance.category !== talk) return;
    turns += 1;
    for (let next = index + 1; next < coded.length; next += 1) {
      const reply = coded[next];
      if (reply === undefined) break;
      if (reply.speaker === "client") {
        const turn = utterances[next];
        if (turn !== undefined && !isBackchannel(turn.text)) break;
        continue;
      }
      if (reply.codes.some((code) => codes.includes(code))) {
        answered += 1;
        break;
      }
    }
  });
  // Smoothed toward "half answered", so one or two turns do not swing the measure to 0 or 1.
  return (answered + 0.5) / (turns + 1);
}

export function sessionMeasures(
  counts: BehaviourCounts,
  volleys: number,
  talk: TalkCounts,
  utterances: readonly Turn[],
  probabilities: MeanProbabilities,
  coded: readonly CodedTurn[] = [],
): SessionMeasures {
  const perVolley = (value: number) => value / Math.max(1, volleys);
  const reflections = counts.simpleReflection + counts.complexReflection;
  let therapistWords = 0;
  let therapistTurns = 0;
  let allWords = 0;
  for (const utterance of utterances) {
    const words = (utterance.tokens ?? tokenize(utterance.text)).length;
    allWords += words;
    if (utterance.speaker === "therapist") {
      therapistWords += words;
      therapistTurns += 1;
    }
  }
  return {
    reflectionToQuestion: Math.log((reflections + 1) / (counts.question + 1)),
    complexShare: (counts.complexReflection + 1) / (reflections + 2),
    reflectionRate: perVolley(reflections),
    questionRate: perVolley(counts.question),
    informationRate: perVolley(counts.givingInformation),
    persuadeRate: perVolley(counts.persuade),
    adherentRate: perVolley(counts.affirm + counts.seekingCollaboration + counts.emphasizingAutonomy),
    nonAdherentRate: perVolley(counts.confront + counts.persuade),
    changeShare: (talk.change + 1) / (talk.change + talk.sustain + 2),
    changeRate: talk.change / Math.max(1, talk.clientTurns),
    sustainRate: talk.sustain / Math.max(1, talk.clientTurns),
    therapistTalkShare: therapistWords / Math.max(1, allWords),
    therapistTurnLength: Math.log(1 + therapistWords / Math.max(1, therapistTurns)),
    meanReflectionProbability: probabilities.reflection,
    meanQuestionProbability: probabilities.question,
    meanInputProbability: probabilities.input,
    meanChangeProbability: probabilities.change,
    meanSustainProbability: probabilities.sustain,
    confrontRate: perVolley(counts.confront),
    seekRate: perVolley(counts.seekingCollaboration),
    adviceInformationRate: perVolley(counts.givingInformation + counts.persuade + counts.persuadeWithPermission),
    arguedSustainShare: answeredShare(coded, utterances, "sustain", ["Confront", "Persuade"]),
    changeReflectedShare: answeredShare(coded, utterances, "change", ["SR", "CR"]),
    sustainTurns: talk.sustain,
  };
}
