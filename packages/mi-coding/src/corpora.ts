import { type LabelledSession, loadAnnoMi } from "./annomi.ts";
import { type EncoderOptions, loadEncoder } from "./encoder/encoder.ts";
import { ENCODERS, type EncoderId } from "./encoder/files.ts";
import { vectorsForSessions } from "./encoder/vectors.ts";
import { type Corpus, corpusOf } from "./train.ts";
import {
  itemAsSession,
  loadWrittenHoldout,
  loadWrittenSessions,
  loadWrittenTraining,
  sessionAsLabelled,
  type WrittenSession,
} from "./written.ts";

/** Everything `mi train` and `mi eval` read, prepared once, with sentence vectors. */
export interface Corpora {
  /** AnnoMI's training split (public domain). */
  readonly annomi: readonly Corpus[];
  /** Evoke's written set, training part: one short session per item. */
  readonly written: readonly Corpus[];
  /** Evoke's written set, held-out part: never trained on. */
  readonly holdout: readonly Corpus[];
  /** Whole written sessions with their expected verdicts: never trained on. */
  readonly sessions: readonly { readonly written: WrittenSession; readonly corpus: Corpus }[];
}

export async function loadCorpora(options: {
  readonly annomiPath: string;
  readonly encoder: EncoderId;
  readonly encoderOptions?: EncoderOptions;
  readonly onProgress?: (message: string) => void;
}): Promise<Corpora> {
  const annomi = await loadAnnoMi(options.annomiPath);
  const written = (await loadWrittenTraining()).map(itemAsSession);
  const holdout = (await loadWrittenHoldout()).map(itemAsSession);
  const sessions = await loadWrittenSessions();
  const labelledSessions = sessions.map(sessionAsLabelled);
  const all: LabelledSession[] = [...annomi, ...written, ...holdout, ...labelledSessions];
  const encoder = await loadEncoder(ENCODERS[options.encoder], {
    threads: 2,
    ...options.encoderOptions,
    ...(options.onProgress === undefined ? {} : { onFetch: options.onProgress }),
  });
  try {
    const vectors = await vectorsForSessions(encoder, all, {
      onProgress: (done, total) => options.onProgress?.(`encoding ${done}/${total} new texts`),
    });
    const corpora = corpusOf(all, vectors);
    const a = annomi.length;
    const w = a + written.length;
    const h = w + holdout.length;
    return {
      annomi: corpora.slice(0, a),
      written: corpora.slice(a, w),
      holdout: corpora.slice(w, h),
      sessions: sessions.map((session, i) => ({ written: session, corpus: corpora[h + i] as Corpus })),
    };
  } finally {
    await encoder.close();
  }
}
