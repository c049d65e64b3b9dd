import { type CodedSession, codeSession } from "./code.ts";
import { type Encoder, type EncoderOptions, loadEncoder } from "./encoder/encoder.ts";
import { ENCODERS } from "./encoder/files.ts";
import { type CoderModel, DEFAULT_MODEL_PATH, findModel } from "./model.ts";
import { THRESHOLD_PRESETS, type Thresholds } from "./thresholds.ts";
import type { Utterance } from "./transcript.ts";

/**
 * A model ready to code: with its sentence encoder loaded once (coder v2), or none (coder v1).
 * Services and commands hold one per process.
 */
export interface Coder {
  readonly model: CoderModel;
  /** The loaded sentence encoder (coder v2). */
  readonly encoder: Encoder | undefined;
  code(
    session: { readonly sessionId: string; readonly utterances: readonly Utterance[] },
    thresholds?: Thresholds,
  ): Promise<CodedSession>;
  close(): Promise<void>;
}

/**
 * A coder for `model`. `shareEncoder` lends an encoder another coder already loaded (two model
 * versions on the same encoder, as when recoding); the lender keeps it and closes it.
 */
export async function createCoder(
  model: CoderModel,
  options: EncoderOptions & { readonly shareEncoder?: Encoder } = {},
): Promise<Coder> {
  const shared = options.shareEncoder !== undefined && options.shareEncoder.id === model.encoder;
  const encoder: Encoder | undefined =
    model.encoder === undefined
      ? undefined
      : shared
        ? options.shareEncoder
        : await loadEncoder(ENCODERS[model.encoder], options);
  return {
    model,
    encoder,
    async code(session, thresholds = THRESHOLD_PRESETS.manual) {
      const vectors =
        encoder === undefined ? undefined : await encoder.embed(session.utterances.map((utterance) => utterance.text));
      return codeSession(model, session, thresholds, vectors);
    },
    async close() {
      if (!shared) await encoder?.close();
    },
  };
}

/** The committed model, or another by version or file (see findModel), ready to code. */
export async function loadCoder(
  versionOrPath: string = DEFAULT_MODEL_PATH,
  options: EncoderOptions = {},
): Promise<Coder> {
  return createCoder(await findModel(versionOrPath), options);
}
