import { type IngestMetadata, type IntakeEvent, toKafkaMessage } from "@evoke/events";
import { createProducer, type Kafka, type Producer } from "@evoke/kafka";

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
 * Publishes to `topic` with an idempotent producer (acks from all in-sync replicas), keyed so
 * that a client's events keep their order. One `send` per request: Kafka acknowledges the whole
 * batch, or the request fails and nothing is reported accepted.
 */
export async function createKafkaPublisher(kafka: Kafka, topic: string): Promise<KafkaPublisher> {
  const producer: Producer = createProducer(kafka);
  await producer.connect();
  return {
    publish: async (events, metadata) => {
      if (events.length === 0) return;
      try {
        await producer.send({
          topic,
          acks: -1,
          messages: events.map((event) => toKafkaMessage(event, metadata)),
        });
      } catch (error) {
        if (isUnavailable(error)) throw new BrokerUnavailableError((error as Error).message, { cause: error });
        throw error;
      }
    },
    close: () => producer.disconnect(),
  };
}
