import { type IngestMetadata, type IntakeEvent, intakeTopicFor, toKafkaMessage } from "@evoke/events";
import { createProducer, type Kafka, type Message, type Producer } from "@evoke/kafka";

/** Publishes accepted events; resolves only once the log has durably acknowledged all of them. */
export interface Publisher {
  publish(events: readonly IntakeEvent[], metadata: IngestMetadata): Promise<void>;
}

/** The event log cannot be reached: the request may be retried later, as a whole. */
export class BrokerUnavailableError extends Error {
  override readonly name = "BrokerUnavailableError";
}

// kafkajs error names that mean "the broker is down or unreachable", directly or as the last
// cause after its retries ran out.
const UNAVAILABLE = new Set([
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSNotImplemented",
  "KafkaJSLockTimeout",
  "KafkaJSMetadataNotLoaded",
]);

function isUnavailable(error: unknown): boolean {
  for (
    let cause: unknown = error;
    cause instanceof Error;
    cause = (cause as { originalError?: unknown }).originalError ?? cause.cause
  ) {
    if (UNAVAILABLE.has(cause.name)) return true;
    if ((cause as { retriable?: boolean }).retriable === true) return true;
  }
  return false;
}

export interface KafkaPublisher extends Publisher {
  close(): Promise<void>;
}

/**
 * Where accepted events go: transcripts to a topic of their own (so the coding service reads
 * only what it codes), every other event to intake. The routing lives here, behind
 * `publish(events, metadata)`, so every way into ingest gets it.
 */
export interface PublishTopics {
  readonly intake: string;
  readonly transcripts: string;
}

/** A message bound for one topic. */
interface Routed {
  readonly topic: string;
  readonly message: Message;
}

interface Submission {
  readonly messages: Routed[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Largest group of requests sent as one produce request. Below the topics' max.message.bytes
 * (10 MiB), so a group never trips the broker's size limit even if it lands on one partition.
 */
const MAX_GROUP_BYTES = 4 * 1024 * 1024;

function approximateBytes({ message }: Routed): number {
  let bytes = String(message.value ?? "").length + String(message.key ?? "").length;
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + String(value).length;
  return bytes;
}

/** The routed messages as one produce request: kafkajs groups them by topic and partition. */
function byTopic(messages: readonly Routed[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, message } of messages) {
    const list = topics.get(topic);
    if (list === undefined) topics.set(topic, [message]);
    else list.push(message);
  }
  return [...topics].map(([topic, list]) => ({ topic, messages: list }));
}

/**
 * Publishes to `topics` (transcripts apart, see PublishTopics) with one idempotent producer (acks from all in-sync replicas, keyed so
 * a client's events keep their order).
 *
 * An idempotent kafkajs producer has one request in flight per broker, so sending each HTTP
 * request on its own would queue every request behind the one before. Instead, requests that
 * arrive while a send is in flight wait and then go together in the next send (group commit):
 * one broker round trip acknowledges many requests. Each request still resolves only when its
 * own events are acknowledged. If a group fails for a reason other than an unreachable broker,
 * its requests are retried one by one, so one bad request cannot fail the others.
 */
export async function createKafkaPublisher(kafka: Kafka, topics: PublishTopics): Promise<KafkaPublisher> {
  const producer: Producer = createProducer(kafka);
  await producer.connect();
  const queue: Submission[] = [];
  let sending = false;

  const send = (messages: readonly Routed[]) => producer.sendBatch({ acks: -1, topicMessages: byTopic(messages) });

  const nextGroup = (): Submission[] => {
    const group: Submission[] = [];
    let bytes = 0;
    while (queue.length > 0) {
      const next = queue[0] as Submission; // length checked by the loop
      if (group.length > 0 && bytes + next.bytes > MAX_GROUP_BYTES) break;
      group.push(next);
      bytes += next.bytes;
      queue.shift();
    }
    return group;
  };

  const drain = async () => {
    if (sending) return;
    sending = true;
    try {
      for (let group = nextGroup(); group.length > 0; group = nextGroup()) {
        try {
          await send(group.flatMap((submission) => submission.messages));
          for (const submission of group) submission.resolve();
        } catch (error) {
          if (isUnavailable(error) || group.length === 1) {
            for (const submission of group) submission.reject(error);
            continue;
          }
          for (const submission of group) await send(submission.messages).then(submission.resolve, submission.reject);
        }
      }
    } finally {
      sending = false;
    }
  };

  return {
    publish: async (events, metadata) => {
      if (events.length === 0) return;
      const messages = events.map((event) => ({
        topic: intakeTopicFor(event.type, topics),
        message: toKafkaMessage(event, metadata),
      }));
      const bytes = messages.reduce((sum, message) => sum + approximateBytes(message), 0);
      try {
        await new Promise<void>((resolve, reject) => {
          queue.push({ messages, bytes, resolve, reject });
          void drain();
        });
      } catch (error) {
        if (isUnavailable(error)) throw new BrokerUnavailableError((error as Error).message, { cause: error });
        throw error;
      }
    },
    close: () => producer.disconnect(),
  };
}
