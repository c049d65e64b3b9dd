import type { TopicSpec } from "@evoke/kafka";

/** Evoke's topics. The version suffix changes only with an incompatible contract change. */
export const TOPICS = {
  /**
   * Every accepted intake event except transcripts, keyed by client (CloudEvents Kafka binding,
   * binary mode). Before the transcripts topic, transcripts were here too: see
   * docs/scaling.md#moving-transcripts-to-their-own-topic.
   */
  intake: "evoke.intake.v1",
  /**
   * `evoke.transcript.submitted` events, keyed by client, in the same binding: a topic of their
   * own so the coding service reads only what it codes (they are large and rare next to the
   * small events it used to parse and skip).
   */
  transcripts: "evoke.transcripts.v1",
  /** Automatic codings of transcripts, from services/coding. */
  coded: "evoke.coded.v1",
  /** Messages a consumer could not process, with the reason in headers. */
  deadLetter: "evoke.dlq.v1",
} as const;

export interface TopicSettings {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** How long Kafka keeps messages. Intake and transcripts are health data: keep it bounded. */
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

/** The event type that travels on TOPICS.transcripts; every other intake event goes to TOPICS.intake. */
export const TRANSCRIPT_EVENT_TYPE = "evoke.transcript.submitted";

/** Where ingest publishes an accepted event of this type. */
export function intakeTopicFor(
  type: string,
  topics: { readonly intake: string; readonly transcripts: string } = TOPICS,
): string {
  return type === TRANSCRIPT_EVENT_TYPE ? topics.transcripts : topics.intake;
}
