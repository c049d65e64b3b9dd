export { type LabelledSession, type LabelledUtterance, loadAnnoMi, parseAnnoMi } from "./annomi.ts";
export { type CodedUtterance, classifySession, mitiCodes, type UtteranceModels } from "./classify.ts";
export { type CodedSession, codeSession, type OutputUtterance } from "./code.ts";
export { CODING_SOURCE, type CodingSettings, codedEventId, codeTranscript } from "./coded-event.ts";
export { type Coder, createCoder, loadCoder } from "./coder.ts";
export { asksForAdvice, asksPermission, isAffirm, isConfront, isEmphasizeAutonomy, isSeek } from "./detectors.ts";
export { type Encoder, type EncoderOptions, loadEncoder } from "./encoder/encoder.ts";
export { ENCODERS, EncoderFilesError, type EncoderId, ensureEncoderFiles } from "./encoder/files.ts";
export { type EvaluationReport, evaluate } from "./evaluate.ts";
export { GLOBAL_NAMES, type GlobalName, type GlobalRatings } from "./globals.ts";
export { type BehaviourCounts, COUNT_NAMES, emptyCounts, MITI_CODES, type MitiCode } from "./miti.ts";
export {
  type CoderModel,
  DEFAULT_MODEL_PATH,
  describeModels,
  findModel,
  loadModel,
  type ModelDescription,
  parseModel,
  serializeModel,
} from "./model.ts";
export { STANCE_CODES, type StanceCode } from "./stance.ts";
export { type SessionSummary, summarise } from "./summary.ts";
export {
  THRESHOLD_PRESETS,
  type Threshold,
  type ThresholdPreset,
  type Thresholds,
  type Verdict,
  verdict,
} from "./thresholds.ts";
export { TRAINING_OPTIONS, trainCoder } from "./train.ts";
export {
  CLIENT_CATEGORIES,
  type ClientCategory,
  REFLECTION_TYPES,
  type ReflectionType,
  type Speaker,
  THERAPIST_CATEGORIES,
  type TherapistCategory,
  type Utterance,
} from "./transcript.ts";
export { countBehaviours, isBackchannel, volleysOf } from "./volleys.ts";
