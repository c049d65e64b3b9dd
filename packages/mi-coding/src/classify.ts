import { phraseDetectors } from "./detectors.ts";
import { denseOf, featuresOf, type PreparedUtterance, prepare } from "./features.ts";
import { argmax, type LinearModel, predictProbabilities } from "./linear-model.ts";
import type { MitiCode } from "./miti.ts";
import { hasPermission } from "./permission.ts";
import { STANCE_CODES, type StanceCode, type StanceLabel } from "./stance.ts";
import type { ClientCategory, InputType, ReflectionType, TherapistCategory, Utterance } from "./transcript.ts";

/** The stance detectors and the probability at which each says yes (chosen inside the folds). */
export interface StanceModels {
  readonly detectors: Readonly<Record<StanceCode, LinearModel<StanceLabel>>>;
  readonly thresholds: Readonly<Record<StanceCode, number>>;
}

/**
 * The utterance classifiers: a subset of CoderModel, so evaluation can swap them per fold.
 * Coder v1 has only the four form classifiers over sparse features; v2 adds sentence vectors
 * (`dense`), per-class offsets tuned for macro-F1 and the stance detectors.
 */
export interface UtteranceModels {
  readonly therapist: LinearModel<TherapistCategory>;
  readonly client: LinearModel<ClientCategory>;
  readonly reflection: LinearModel<ReflectionType>;
  readonly input: LinearModel<InputType>;
  /** Added to each class's log-probability before the choice (therapist and client talk). */
  readonly offsets?: { readonly therapist: readonly number[]; readonly client: readonly number[] };
  readonly stance?: StanceModels;
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
  /** Each stance detector's probability (coder v2, therapist utterances). */
  readonly stance?: Readonly<Record<StanceCode, number>>;
}

function usesVectors(models: UtteranceModels): boolean {
  return models.therapist.denseSize > 0;
}

function best<Label extends string>(
  model: LinearModel<Label>,
  features: readonly string[],
  dense: Float32Array | undefined,
  offsets?: readonly number[],
): { label: Label; probability: number; distribution: Record<string, number> } {
  const probabilities = predictProbabilities(model, features, dense);
  const scores = offsets === undefined ? probabilities : withOffsets(probabilities, offsets);
  const index = argmax(scores);
  const distribution = Object.fromEntries(model.labels.map((label, k) => [label, probabilities[k] ?? 0]));
  return { label: model.labels[index] as Label, probability: probabilities[index] ?? 0, distribution };
}

/** log p + offset per class: the offsets move the decision, not the reported probabilities. */
export function withOffsets(probabilities: ArrayLike<number>, offsets: readonly number[]): Float64Array {
  return Float64Array.from(probabilities, (p, k) => Math.log(Math.max(p, 1e-12)) + (offsets[k] ?? 0));
}

/**
 * Coder v1's MITI codes, kept as they were so that recoding with the v1 model reproduces its
 * codings: phrase rules find Affirm, Seek, Autonomy and Confront; advice is Persuade (with
 * Permission after permission or a request), negotiation Seek, other input GI.
 */
function ruleBasedCodes(
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
    else categoryCode = "GI";
  }
  const codes = [...new Set([...(categoryCode === undefined ? [] : [categoryCode]), ...detected])];
  const main = detected.includes("Confront")
    ? "Confront"
    : category === "question" || category === "reflection"
      ? categoryCode
      : (detected[0] ?? categoryCode);
  return { codes, main };
}

const NON_ADHERENT_ORDER: readonly MitiCode[] = ["Confront", "Persuade", "PersuadeWithPermission"];
const ADHERENT_ORDER: readonly MitiCode[] = ["Seek", "EA", "AF"];

/**
 * MITI codes of one therapist utterance, and which of them is its main one.
 *
 * The form gives Q, SR/CR or GI (information is the manual's default for input when unsure);
 * `stance` holds what the stance detectors found (coder v2; without it, coder v1's rules). Per
 * the manual:
 * - Persuade with Permission wins over Persuade when permission was asked or given;
 * - Confront and Persuade replace the reflection code a sentence's form would give ("You're
 *   just making excuses again" is Confront, not also a complex reflection), and persuasion
 *   replaces GI; a question keeps its Q;
 * - the main code is Confront, then Persuade (with Permission), then the form's Q or
 *   reflection, then Seek, Autonomy, Affirm, then GI.
 */
export function mitiCodes(
  session: readonly PreparedUtterance[],
  index: number,
  category: TherapistCategory,
  reflection: ReflectionType | undefined,
  input: InputType | undefined,
  stance?: readonly StanceCode[],
): { codes: MitiCode[]; main: MitiCode | undefined } {
  if (stance === undefined) return ruleBasedCodes(session, index, category, reflection, input);
  const detected = new Set<MitiCode>(stance);
  if (detected.has("Persuade") || detected.has("PersuadeWithPermission")) {
    const permitted = detected.has("PersuadeWithPermission") || hasPermission(session, index);
    detected.delete(permitted ? "Persuade" : "PersuadeWithPermission");
    detected.add(permitted ? "PersuadeWithPermission" : "Persuade");
  }
  const nonAdherent = detected.has("Confront") || detected.has("Persuade");
  const persuading = detected.has("Persuade") || detected.has("PersuadeWithPermission");

  let formCode: MitiCode | undefined;
  if (category === "question") formCode = "Q";
  else if (category === "reflection" && !nonAdherent) formCode = reflection === "complex" ? "CR" : "SR";
  else if (category === "input" && !persuading) formCode = "GI";

  const codes = [
    ...NON_ADHERENT_ORDER.filter((code) => detected.has(code)),
    ...(formCode === undefined ? [] : [formCode]),
    ...ADHERENT_ORDER.filter((code) => detected.has(code)),
  ];
  const formFirst = formCode === "Q" || formCode === "SR" || formCode === "CR" ? formCode : undefined;
  const main =
    NON_ADHERENT_ORDER.find((code) => detected.has(code)) ??
    formFirst ??
    ADHERENT_ORDER.find((code) => detected.has(code)) ??
    formCode;
  return { codes, main };
}

function stanceOf(
  stance: StanceModels,
  features: readonly string[],
  dense: Float32Array | undefined,
): { probabilities: Record<StanceCode, number>; detected: StanceCode[] } {
  const probabilities = {} as Record<StanceCode, number>;
  const detected: StanceCode[] = [];
  for (const code of STANCE_CODES) {
    const p = predictProbabilities(stance.detectors[code], features, dense)[1] ?? 0;
    probabilities[code] = p;
    if (p >= stance.thresholds[code]) detected.push(code);
  }
  return { probabilities, detected };
}

function classifyOne(
  models: UtteranceModels,
  prepared: readonly PreparedUtterance[],
  vectors: readonly Float32Array[] | undefined,
  index: number,
): CodedUtterance {
  const features = featuresOf(prepared, index);
  const dense = vectors === undefined ? undefined : denseOf(prepared, vectors, index);
  const speaker = prepared[index]?.speaker ?? "client";
  if (speaker === "client") {
    const { label, probability, distribution } = best(models.client, features, dense, models.offsets?.client);
    return { index, speaker, category: label, codes: [], confidence: probability, distribution };
  }
  const category = best(models.therapist, features, dense, models.offsets?.therapist);
  let confidence = category.probability;
  let reflection: ReflectionType | undefined;
  let input: InputType | undefined;
  if (category.label === "reflection") {
    const subtype = best(models.reflection, features, dense);
    reflection = subtype.label;
    confidence *= subtype.probability;
  } else if (category.label === "input") {
    const subtype = best(models.input, features, dense);
    input = subtype.label;
    confidence *= subtype.probability;
  }
  const stance = models.stance === undefined ? undefined : stanceOf(models.stance, features, dense);
  const { codes, main } = mitiCodes(prepared, index, category.label, reflection, input, stance?.detected);
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
    ...(stance === undefined ? {} : { stance: stance.probabilities }),
  };
}

/**
 * Codes every utterance of a prepared session, in order. `vectors` (one sentence vector per
 * utterance) are required by models that read them (coder v2), ignored otherwise.
 */
export function classifyPrepared(
  models: UtteranceModels,
  prepared: readonly PreparedUtterance[],
  vectors?: readonly Float32Array[],
): CodedUtterance[] {
  if (usesVectors(models) && vectors?.length !== prepared.length)
    throw new Error("this model reads sentence vectors: pass one per utterance (see Coder in coder.ts)");
  const used = usesVectors(models) ? vectors : undefined;
  return prepared.map((_, index) => classifyOne(models, prepared, used, index));
}

/** Codes every utterance of a session, in order. */
export function classifySession(
  models: UtteranceModels,
  utterances: readonly Utterance[],
  vectors?: readonly Float32Array[],
): CodedUtterance[] {
  return classifyPrepared(models, prepare(utterances), vectors);
}
