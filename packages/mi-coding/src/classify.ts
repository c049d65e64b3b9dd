import { phraseDetectors } from "./detectors.ts";
import { featuresOf, type PreparedUtterance, prepare } from "./features.ts";
import { argmax, type LinearModel, predictProbabilities } from "./linear-model.ts";
import type { MitiCode } from "./miti.ts";
import type { ClientCategory, InputType, ReflectionType, TherapistCategory, Utterance } from "./transcript.ts";
import { isBackchannel } from "./volleys.ts";

/** The four utterance classifiers; a subset of CoderModel, so evaluation can swap them per fold. */
export interface UtteranceModels {
  readonly therapist: LinearModel<TherapistCategory>;
  readonly client: LinearModel<ClientCategory>;
  readonly reflection: LinearModel<ReflectionType>;
  readonly input: LinearModel<InputType>;
}

export interface CodedUtterance {
  readonly index: number;
  readonly speaker: Utterance["speaker"];
  readonly category: TherapistCategory | ClientCategory;
  readonly reflection?: ReflectionType;
  readonly input?: InputType;
  /** The utterance's main MITI code (therapist only; absent when none applies). */
  readonly miti?: MitiCode;
  /** Every MITI code the utterance shows, for the volley counts (e.g. a question that also asks permission). */
  readonly codes: readonly MitiCode[];
  /** Probability of the label (times that of the subtype where there is one). */
  readonly confidence: number;
  /** The classifier's probability for each category of the speaker (for session measures). */
  readonly distribution: Readonly<Record<string, number>>;
}

function best<Label extends string>(
  model: LinearModel<Label>,
  features: readonly string[],
): { label: Label; probability: number; distribution: Record<string, number> } {
  const probabilities = predictProbabilities(model, features);
  const index = argmax(probabilities);
  const distribution = Object.fromEntries(model.labels.map((label, k) => [label, probabilities[k] ?? 0]));
  return { label: model.labels[index] as Label, probability: probabilities[index] ?? 0, distribution };
}

/**
 * Whether persuasion here has permission: the therapist asked for it within the last few turns
 * (the client's "sure" in between), or the client asked for advice in their last turn.
 */
function hasPermission(session: readonly PreparedUtterance[], index: number): boolean {
  for (let i = index; i >= Math.max(0, index - 3); i -= 1) {
    const utterance = session[i];
    if (utterance === undefined) continue;
    if (utterance.speaker === "therapist" && phraseDetectors.permission(utterance.phrase)) return true;
    // A client's "sure" or "okay" answers the permission question; it does not end the search.
    if (utterance.speaker === "client" && !isBackchannel(utterance.text))
      return phraseDetectors.asksForAdvice(utterance.phrase);
  }
  return false;
}

/** MITI codes of one therapist utterance, and which of them is its main one. */
export function mitiCodes(
  session: readonly PreparedUtterance[],
  index: number,
  category: TherapistCategory,
  reflection: ReflectionType | undefined,
  input: InputType | undefined,
): { codes: MitiCode[]; main: MitiCode | undefined } {
  const phrase = session[index]?.phrase ?? "";
  const detected: MitiCode[] = [];
  if (phraseDetectors.confront(phrase)) detected.push("Confront");
  if (phraseDetectors.seek(phrase)) detected.push("Seek");
  if (phraseDetectors.autonomy(phrase)) detected.push("EA");
  if (phraseDetectors.affirm(phrase)) detected.push("AF");

  let categoryCode: MitiCode | undefined;
  if (category === "question") categoryCode = "Q";
  else if (category === "reflection") categoryCode = reflection === "complex" ? "CR" : "SR";
  else if (category === "input") {
    if (input === "advice") categoryCode = hasPermission(session, index) ? "PersuadeWithPermission" : "Persuade";
    else if (input === "negotiation") categoryCode = "Seek";
    else categoryCode = "GI"; // information and options: the manual's default when unsure
  }
  const codes = [...new Set([...(categoryCode === undefined ? [] : [categoryCode]), ...detected])];
  // Confrontation is coded on tone whatever the form; questions and reflections keep their code;
  // otherwise a detected MI-adherent code names the utterance better than GI.
  const main = detected.includes("Confront")
    ? "Confront"
    : category === "question" || category === "reflection"
      ? categoryCode
      : (detected[0] ?? categoryCode);
  return { codes, main };
}

function classifyOne(models: UtteranceModels, prepared: readonly PreparedUtterance[], index: number): CodedUtterance {
  const features = featuresOf(prepared, index);
  const speaker = prepared[index]?.speaker ?? "client";
  if (speaker === "client") {
    const { label, probability, distribution } = best(models.client, features);
    return { index, speaker, category: label, codes: [], confidence: probability, distribution };
  }
  const category = best(models.therapist, features);
  let confidence = category.probability;
  let reflection: ReflectionType | undefined;
  let input: InputType | undefined;
  if (category.label === "reflection") {
    const subtype = best(models.reflection, features);
    reflection = subtype.label;
    confidence *= subtype.probability;
  } else if (category.label === "input") {
    const subtype = best(models.input, features);
    input = subtype.label;
    confidence *= subtype.probability;
  }
  const { codes, main } = mitiCodes(prepared, index, category.label, reflection, input);
  return {
    index,
    speaker,
    category: category.label,
    ...(reflection === undefined ? {} : { reflection }),
    ...(input === undefined ? {} : { input }),
    ...(main === undefined ? {} : { miti: main }),
    codes,
    confidence,
    distribution: category.distribution,
  };
}

/** Codes every utterance of a prepared session, in order. */
export function classifyPrepared(models: UtteranceModels, prepared: readonly PreparedUtterance[]): CodedUtterance[] {
  return prepared.map((_, index) => classifyOne(models, prepared, index));
}

/** Codes every utterance of a session, in order. */
export function classifySession(models: UtteranceModels, utterances: readonly Utterance[]): CodedUtterance[] {
  return classifyPrepared(models, prepare(utterances));
}
