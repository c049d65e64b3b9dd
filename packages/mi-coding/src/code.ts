import { classifyPrepared } from "./classify.ts";
import { prepare } from "./features.ts";
import type { MitiCode } from "./miti.ts";
import type { CoderModel } from "./model.ts";
import { type SessionSummary, summarise } from "./summary.ts";
import { THRESHOLD_PRESETS, type Thresholds } from "./thresholds.ts";
import type { ClientCategory, ReflectionType, TherapistCategory, Utterance } from "./transcript.ts";

/** One utterance in the `mi code` output. */
export interface OutputUtterance {
  readonly index: number;
  readonly speaker: Utterance["speaker"];
  readonly category: TherapistCategory | ClientCategory;
  readonly reflection?: ReflectionType;
  readonly miti?: MitiCode;
  readonly confidence: number;
}

/** One line of the `mi code` output: a coded session. */
export interface CodedSession {
  readonly sessionId: string;
  readonly modelVersion: string;
  readonly utterances: readonly OutputUtterance[];
  readonly summary: SessionSummary;
}

/**
 * Codes a whole session: every utterance labelled, volleys tallied per MITI 4.2.1, summary
 * scores, estimated globals and verdicts against `thresholds` (the manual's by default).
 * Models that read sentence vectors need one per utterance (`Coder.code` computes them).
 */
export function codeSession(
  model: CoderModel,
  session: { readonly sessionId: string; readonly utterances: readonly Utterance[] },
  thresholds: Thresholds = THRESHOLD_PRESETS.manual,
  vectors?: readonly Float32Array[],
): CodedSession {
  const prepared = prepare(session.utterances);
  const coded = classifyPrepared(model, prepared, vectors);
  return {
    sessionId: session.sessionId,
    modelVersion: model.version,
    utterances: coded.map((utterance) => ({
      index: utterance.index,
      speaker: utterance.speaker,
      category: utterance.category,
      ...(utterance.reflection === undefined ? {} : { reflection: utterance.reflection }),
      ...(utterance.miti === undefined ? {} : { miti: utterance.miti }),
      confidence: Math.round(utterance.confidence * 1000) / 1000,
    })),
    summary: summarise(prepared, coded, model.globals, thresholds),
  };
}
