import { fromKafkaMessage, toKafkaMessage } from "@evoke/events";
import { createProducer, type Kafka, startConsumer } from "@evoke/kafka";
import { type CodingSettings, codeTranscript } from "./coder.ts";
import type { CodingTopics } from "./processor.ts";

export interface RecodeResult {
  readonly coded: number;
  readonly skippedBeforeSince: number;
}

/**
 * `mi recode`: codes every transcript on the intake topic (sent at or after `since`, by event
 * time) again with another model, publishing the codings beside the existing ones: their ids
 * differ by model version, so nothing is overwritten. Reads up to the end of the topic as it is
 * when recoding starts, then stops.
 */
export async function recodeHistory(options: {
  readonly kafka: Kafka;
  readonly settings: CodingSettings;
  readonly topics: Pick<CodingTopics, "intake" | "coded">;
  readonly since?: Date;
  readonly now?: () => Date;
}): Promise<RecodeResult> {
  const { kafka, settings, topics } = options;
  const now = options.now ?? (() => new Date());
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topics.intake)).map((partition) => [partition.partition, BigInt(partition.high)]),
  );
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([partition]) => partition));
  if (pending.size === 0) return { coded: 0, skippedBeforeSince: 0 };

  const producer = createProducer(kafka);
  await producer.connect();
  let coded = 0;
  let skippedBeforeSince = 0;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  // A group of its own each time: recoding reads history without disturbing the live service.
  const running = await startConsumer(kafka, {
    groupId: `recode-${settings.model.version}-${Date.now()}`,
    topics: [topics.intake],
    fromBeginning: true,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const end = ends.get(batch.partition) ?? 0n;
      const messages = [];
      for (const message of batch.messages) {
        if (BigInt(message.offset) >= end) break;
        const parsed = fromKafkaMessage(message);
        if (parsed.ok && parsed.event.type === "evoke.transcript.submitted") {
          if (options.since !== undefined && Date.parse(parsed.event.time) < options.since.getTime())
            skippedBeforeSince += 1;
          else messages.push(codeTranscript(parsed.event, settings, now()));
        }
        resolveOffset(message.offset);
      }
      if (messages.length > 0) {
        await producer.send({
          topic: topics.coded,
          acks: -1,
          messages: messages.map((event) => toKafkaMessage(event)),
        });
        coded += messages.length;
      }
      await heartbeat();
      const last = batch.messages.at(-1);
      if (last !== undefined && BigInt(last.offset) + 1n >= end) {
        pending.delete(batch.partition);
        if (pending.size === 0) finished();
      }
    },
  });
  await done;
  await running.stop();
  await producer.disconnect();
  return { coded, skippedBeforeSince };
}
