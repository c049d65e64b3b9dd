import type { Kafka, KafkaMessage } from "kafkajs";
import { startConsumer } from "./consumer.ts";

/**
 * Reads a topic from its start up to its end as it is when called (later messages are left
 * alone), with a throwaway consumer group, calling `onBatch` for each batch of a partition in
 * offset order. For tools that look back over history: recoding, the dead-letter list.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  onBatch: (messages: KafkaMessage[], partition: number) => Promise<void>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((partition) => [partition.partition, BigInt(partition.high)]),
  );
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([partition]) => partition));
  if (pending.size === 0) return;

  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const running = await startConsumer(kafka, {
    groupId: `read-to-end-${topic}-${Date.now()}-${Math.round(Math.random() * 1e9)}`,
    topics: [topic],
    fromBeginning: true,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const end = ends.get(batch.partition) ?? 0n;
      const inRange = batch.messages.filter((message) => BigInt(message.offset) < end);
      if (inRange.length > 0) await onBatch(inRange, batch.partition);
      const last = batch.messages.at(-1);
      if (last !== undefined) resolveOffset(last.offset);
      await heartbeat();
      // The last offset of the partition may be a transaction marker, never delivered: compare
      // with the batch's own high watermark too.
      if (
        last !== undefined &&
        (BigInt(last.offset) + 1n >= end || BigInt(batch.highWatermark) <= BigInt(last.offset) + 1n)
      ) {
        pending.delete(batch.partition);
        if (pending.size === 0) finished();
      }
    },
  });
  try {
    await done;
  } finally {
    await running.stop();
  }
}
