import type { IHeaders, KafkaMessage, Message } from "kafkajs";

/*
 * The dead-letter topic keeps a message a consumer could not process, unchanged (key, value,
 * headers), plus headers saying why and where it came from, so it can be inspected and
 * replayed once the cause is fixed. The reason names what was wrong (a field, a limit), never
 * the message's content.
 */

export const DEAD_LETTER_HEADERS = {
  reason: "evoke-dlq-reason",
  topic: "evoke-dlq-topic",
  partition: "evoke-dlq-partition",
  offset: "evoke-dlq-offset",
  consumer: "evoke-dlq-consumer",
  at: "evoke-dlq-at",
} as const;

export interface DeadLetterOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The consumer group that gave up on it. */
  readonly consumer: string;
}

export function deadLetterMessage(
  original: KafkaMessage,
  origin: DeadLetterOrigin,
  reason: string,
  at = new Date(),
): Message {
  const headers: IHeaders = {
    ...(original.headers ?? {}),
    [DEAD_LETTER_HEADERS.reason]: reason.slice(0, 1_000),
    [DEAD_LETTER_HEADERS.topic]: origin.topic,
    [DEAD_LETTER_HEADERS.partition]: String(origin.partition),
    [DEAD_LETTER_HEADERS.offset]: origin.offset,
    [DEAD_LETTER_HEADERS.consumer]: origin.consumer,
    [DEAD_LETTER_HEADERS.at]: at.toISOString(),
  };
  return { key: original.key, value: original.value, headers };
}
