import type { TopicSpec } from "@evoke/kafka";

/** Evoke's topics. The version suffix changes only with an incompatible contract change. */
export const TOPICS = {
  /** Every accepted intake event, keyed by client (CloudEvents Kafka binding, binary mode). */
  intake: "evoke.intake.v1",
  /** Automatic codings of transcripts, from services/coding. */
  coded: "evoke.coded.v1",
  /** Messages a consumer could not process, with the reason in headers. */
  deadLetter: "evoke.dlq.v1",
} as const;

export interface TopicSettings {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** How long Kafka keeps messages. Intake carries transcripts (health data): keep it bounded. */
  readonly retentionHours: number;
}

/** Room for the largest request ingest accepts (5 MiB by default) in one record batch. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export function evokeTopics(settings: TopicSettings): TopicSpec[] {
  const config = {
    "retention.ms": String(settings.retentionHours * 3_600_000),
    "max.message.bytes": String(MAX_MESSAGE_BYTES),
  };
  return Object.values(TOPICS).map((name) => ({
    name,
    partitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    config,
  }));
}
