import {
  createProducer,
  DEAD_LETTER_HEADERS,
  type IHeaders,
  type Kafka,
  type KafkaMessage,
  readTopicToEnd,
} from "@evoke/kafka";

/*
 * `mi dlq list` and `mi dlq replay`: what sits in the dead-letter topic, described by its
 * headers only (reason, type, source, time: never the content, which may be health data), and
 * re-publishing chosen messages to where they came from once the cause is fixed.
 */

export interface DeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly reason: string;
  readonly type: string | undefined;
  readonly source: string | undefined;
  readonly time: string | undefined;
  readonly deadLetteredAt: string | undefined;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  readonly consumer: string | undefined;
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** A dead letter described by its headers alone: never its key or value (possibly health data). */
export function describeDeadLetter(message: KafkaMessage, partition: number): DeadLetter {
  const { headers } = message;
  return {
    partition,
    offset: message.offset,
    reason: header(headers, DEAD_LETTER_HEADERS.reason) ?? "(no reason recorded)",
    type: header(headers, "ce_type"),
    source: header(headers, "ce_source"),
    time: header(headers, "ce_time"),
    deadLetteredAt: header(headers, DEAD_LETTER_HEADERS.at),
    originalTopic: header(headers, DEAD_LETTER_HEADERS.topic) ?? "",
    originalPartition: Number(header(headers, DEAD_LETTER_HEADERS.partition) ?? -1),
    originalOffset: header(headers, DEAD_LETTER_HEADERS.offset) ?? "",
    consumer: header(headers, DEAD_LETTER_HEADERS.consumer),
  };
}

/** Every message on the dead-letter topic up to its current end, with the message itself. */
async function readAll(kafka: Kafka, topic: string): Promise<{ letter: DeadLetter; message: KafkaMessage }[]> {
  const found: { letter: DeadLetter; message: KafkaMessage }[] = [];
  await readTopicToEnd(kafka, topic, async (messages, partition) => {
    for (const message of messages) found.push({ letter: describeDeadLetter(message, partition), message });
  });
  return found.sort(
    (a, b) => a.letter.partition - b.letter.partition || Number(BigInt(a.letter.offset) - BigInt(b.letter.offset)),
  );
}

export async function listDeadLetters(kafka: Kafka, topic: string): Promise<DeadLetter[]> {
  return (await readAll(kafka, topic)).map(({ letter }) => letter);
}

export interface ReplaySelection {
  /** `partition:offset` of dead letters to replay. */
  readonly positions?: readonly string[];
  /** Replay those whose reason contains this text. */
  readonly reasonContains?: string;
  readonly all?: boolean;
}

/** Re-publishes the selected dead letters, unchanged but for the dead-letter headers, to their original topics. */
export async function replayDeadLetters(
  kafka: Kafka,
  topic: string,
  selection: ReplaySelection,
): Promise<DeadLetter[]> {
  const chosen = (await readAll(kafka, topic)).filter(
    ({ letter }) =>
      selection.all === true ||
      selection.positions?.includes(`${letter.partition}:${letter.offset}`) === true ||
      (selection.reasonContains !== undefined && letter.reason.includes(selection.reasonContains)),
  );
  if (chosen.length === 0) return [];
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    const dlqHeaders = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
    for (const { letter, message } of chosen) {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).filter(([name]) => !dlqHeaders.has(name)),
      );
      await producer.send({
        topic: letter.originalTopic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers }],
      });
    }
  } finally {
    await producer.disconnect();
  }
  return chosen.map(({ letter }) => letter);
}
