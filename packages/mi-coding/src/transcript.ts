/** The input of the coder: a session as speaker turns, in order. */
export type Speaker = "therapist" | "client";

export interface Utterance {
  readonly speaker: Speaker;
  readonly text: string;
}

export const THERAPIST_CATEGORIES = ["question", "reflection", "input", "other"] as const;
export type TherapistCategory = (typeof THERAPIST_CATEGORIES)[number];

export const CLIENT_CATEGORIES = ["change", "sustain", "neutral"] as const;
export type ClientCategory = (typeof CLIENT_CATEGORIES)[number];

export const REFLECTION_TYPES = ["simple", "complex"] as const;
export type ReflectionType = (typeof REFLECTION_TYPES)[number];

/** AnnoMI's subtypes of therapist input. */
export const INPUT_TYPES = ["information", "advice", "options", "negotiation"] as const;
export type InputType = (typeof INPUT_TYPES)[number];
