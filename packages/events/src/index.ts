export {
  ALL_EVENT_TYPES,
  EVENT_TYPE_NAMES,
  EVENT_TYPES,
  type EventData,
  type EventType,
  type EventTypeDefinition,
  type EvokeEventType,
  isEventType,
  isEvokeEventType,
  PIPELINE_EVENT_TYPES,
  type SubjectRule,
} from "./catalogue.ts";
export { asyncApiDocument } from "./docs/asyncapi.ts";
export { allEventJsonSchemas, dataJsonSchema, eventJsonSchema, type JsonSchema } from "./docs/json-schema.ts";
export { CONTEXT_ATTRIBUTES, type Extensions } from "./envelope.ts";
export { exampleEvent } from "./examples.ts";
export { fieldOf, issueAt, pointerOf, type ValidationIssue } from "./issues.ts";
export {
  fromKafkaMessage,
  INGEST_KEY_HEADER,
  type IngestMetadata,
  RECEIVED_AT_HEADER,
  toKafkaMessage,
} from "./kafka-binding.ts";
export { ID_ALPHABET_DESCRIPTION, ID_PATTERN, TEXT_RULES_DESCRIPTION, textProblem } from "./primitives.ts";
export {
  DEFAULT_TIME_LIMITS,
  STORABLE_EARLIEST,
  STORABLE_TIME_LIMITS,
  type TimeKind,
  type TimeLimits,
} from "./time-limits.ts";
export { evokeTopics, intakeTopicFor, TOPICS, type TopicSettings, TRANSCRIPT_EVENT_TYPE } from "./topics.ts";
export { DISCHARGE_REASONS } from "./types/clients.ts";
export type { SessionCodedData } from "./types/coded.ts";
export { MITI_BEHAVIOUR_COUNTS, MITI_GLOBAL_RATINGS } from "./types/fidelity.ts";
export { INSTRUMENT_SCALES, INSTRUMENTS, type Instrument } from "./types/readiness.ts";
export { CANCELLED_BY } from "./types/sessions.ts";
export { MAX_UTTERANCE_CHARACTERS, MAX_UTTERANCES, SPEAKERS } from "./types/transcripts.ts";
export {
  type CloudEvent,
  type EvokeEvent,
  type IntakeEvent,
  partitionKey,
  type Validation,
  type ValidationOptions,
  validateEvent,
  validateEvokeEvent,
  validateEvokeEventGeneric,
} from "./validate.ts";
