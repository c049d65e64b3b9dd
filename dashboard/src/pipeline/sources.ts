import type { ConsumerGroupLag } from "./consumer-lag.ts";
import type { DeadLetterWatch } from "./dead-letter-watch.ts";

/** Where the pipeline health page reads Kafka from; null parts when the dashboard runs without Kafka. */
export interface PipelineSources {
  readonly consumerLag: (() => Promise<ConsumerGroupLag[]>) | null;
  readonly deadLetters: DeadLetterWatch | null;
}
