export {
  type DeadLetter,
  describeDeadLetter,
  listDeadLetters,
  type ReplaySelection,
  replayDeadLetters,
} from "./dead-letters.ts";
export { retryTransient } from "./retry.ts";
export {
  AGGREGATION_GROUP,
  type AggregationTopics,
  DEFAULT_AGGREGATION_TOPICS,
  type RunningSink,
  type SinkStats,
  startSink,
} from "./sink.ts";
