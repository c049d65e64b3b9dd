import { tokenize } from "./tokenize.ts";

/*
 * Detectors for the MITI codes AnnoMI does not label: Affirm, Seek, Emphasize Autonomy,
 * Confront, and whether persuasion had permission. Precise rather than eager, as the manual
 * asks ("when unsure, the lower code"): each fires only on phrasings that are hard to read any
 * other way, and several have guards against the look-alikes the manual warns about (generic
 * praise is not Affirm; "you should" alone is Persuade, not Confront).
 */

function phraseText(text: string): string {
  return ` ${tokenize(text).join(" ")} `;
}

function hasAny(text: string, phrases: readonly string[]): boolean {
  return phrases.some((phrase) => text.includes(` ${phrase} `));
}

/** Affirm: genuine, specific recognition of the client's strengths or efforts (not "good", "great"). */
const AFFIRM = [
  "you've done a",
  "you have done a",
  "you've worked",
  "you have worked",
  "you worked really hard",
  "you worked hard",
  "you've put a lot",
  "you put a lot of",
  "it takes courage",
  "it took courage",
  "it takes a lot of",
  "that took a lot of",
  "you should be proud",
  "you must be proud",
  "i'm impressed",
  "i am impressed",
  "that's impressive",
  "you've managed to",
  "you managed to",
  "you've been able to",
  "you were able to",
  "you've made a",
  "you've already made",
  "you've come a long way",
  "that shows",
  "it shows that you",
  "you clearly care",
  "you really care",
  "you obviously care",
  "you're really committed",
  "you're clearly committed",
  "you're determined",
  "you're a strong",
  "you're resourceful",
  "that's a real strength",
  "that's a big step",
  "that's a huge step",
  "good for you",
  "well done",
  "i appreciate your",
  "i appreciate you",
  "thank you for being so",
  "you're really honest",
  "that's really honest",
  "your honesty",
];

/** Asking permission before giving information or advice (part of Seek). */
const PERMISSION = [
  "is it okay if i",
  "is it ok if i",
  "is it alright if i",
  "would it be okay if i",
  "would it be ok if i",
  "would it be alright if",
  "would you mind if i",
  "do you mind if i",
  "can i share",
  "could i share",
  "may i share",
  "can i tell you",
  "may i tell you",
  "can i give you",
  "would you like me to",
  "would you be interested in hearing",
];

/** Seek: sharing power: asking permission, or the client's ideas on goals and how to proceed. */
const SEEK = [
  ...PERMISSION,
  "what do you think would",
  "what do you think you",
  "what would you like to",
  "how would you like to",
  "where would you like to start",
  "what would be most helpful",
  "what would work for you",
  "what makes sense to you",
  "how does that sound to you",
  "what are your thoughts",
  "what ideas do you have",
  "let's work",
  "work on this together",
  "we can figure",
  "figure it out together",
  "together we",
  "what would you like to talk about",
];

/** Emphasize Autonomy: putting choice and control with the client. */
const AUTONOMY = [
  "it's up to you",
  "it is up to you",
  "that's up to you",
  "up to you",
  "your choice",
  "your decision",
  "you decide",
  "you get to decide",
  "you're the expert",
  "you are the expert",
  "you know yourself best",
  "you know best",
  "whatever you decide",
  "only you can",
  "it's your call",
  "your call",
  "you're in charge",
  "you're in control",
  "it's your life",
  "nobody can make you",
  "no one can make you",
  "you don't have to",
  "you can decide",
];

/** Confront: arguing, labelling, shaming, moralising, warning with disapproval. */
const CONFRONT = [
  "you're in denial",
  "you are in denial",
  "you have a problem",
  "you're an alcoholic",
  "you are an alcoholic",
  "you're an addict",
  "you are an addict",
  "that's not true",
  "you're wrong",
  "you are wrong",
  "you should be ashamed",
  "ashamed of yourself",
  "that's irresponsible",
  "you're being irresponsible",
  "don't you realize",
  "don't you realise",
  "you're killing yourself",
  "you're going to kill yourself",
  "you're not listening",
  "face the facts",
  "face reality",
  "you're just making excuses",
  "stop making excuses",
  "that's ridiculous",
  "you're lying",
  "you need to face",
  "you can't keep doing this",
  "what's wrong with you",
  "how could you",
  "you're going to end up",
];

/** The client asking for advice: persuasion that answers it is Persuade with Permission. */
const ASKS_FOR_ADVICE = [
  "what should i",
  "what do you think i should",
  "what would you do",
  "what would you suggest",
  "what do you suggest",
  "what do you recommend",
  "can you tell me",
  "could you tell me",
  "any advice",
  "any suggestions",
  "what can i do",
  "how do i",
  "how can i",
  "should i",
];

/**
 * The detectors on an utterance already tokenised as a " token token … " phrase (the coder
 * prepares each utterance once); the text versions below are for everything else.
 */
export const phraseDetectors = {
  affirm: (phrase: string) => hasAny(phrase, AFFIRM),
  seek: (phrase: string) => hasAny(phrase, SEEK),
  autonomy: (phrase: string) => hasAny(phrase, AUTONOMY),
  confront: (phrase: string) => hasAny(phrase, CONFRONT),
  permission: (phrase: string) => hasAny(phrase, PERMISSION),
  asksForAdvice: (phrase: string) => phrase.includes(" ? ") && hasAny(phrase, ASKS_FOR_ADVICE),
};

export const isAffirm = (text: string) => phraseDetectors.affirm(phraseText(text));
export const isSeek = (text: string) => phraseDetectors.seek(phraseText(text));
export const isEmphasizeAutonomy = (text: string) => phraseDetectors.autonomy(phraseText(text));
export const isConfront = (text: string) => phraseDetectors.confront(phraseText(text));
export const asksPermission = (text: string) => phraseDetectors.permission(phraseText(text));
export const asksForAdvice = (text: string) => phraseDetectors.asksForAdvice(phraseText(text));
