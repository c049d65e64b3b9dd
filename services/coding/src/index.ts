export {
  type CodingTopics,
  DEFAULT_CODING_TOPICS,
  type Outcome,
  type ProcessorSettings,
  processMessage,
} from "./processor.ts";
export { type RecodeResult, recodeHistory } from "./recode.ts";
export {
  CODING_GROUP,
  type CodingServiceOptions,
  type CodingStats,
  type RunningCodingService,
  startCodingService,
} from "./service.ts";
