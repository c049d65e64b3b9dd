import {
  createTransactionalProducer,
  inTransaction,
  type Kafka,
  type Message,
  type RunningConsumer,
  sendOffsetsRetrying,
  startConsumer,
} from "@evoke/kafka";
import type { Logger } from "@evoke/logger";
import { type CodingTopics, type Outcome, type ProcessorSettings, processMessage } from "./processor.ts";

export const CODING_GROUP = "coding";

export interface CodingServiceOptions {
  readonly kafka: Kafka;
  readonly settings: Omit<ProcessorSettings, "consumerGroup">;
  readonly topics: CodingTopics;
  readonly logger: Logger;
  /** Names this instance's transactional producer; unique per running instance. */
  readonly instance: string;
  readonly groupId?: string;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export interface CodingStats {
  coded: number;
  skipped: number;
  deadLettered: number;
}

export interface RunningCodingService {
  readonly stats: Readonly<CodingStats>;
  readonly consumer: RunningConsumer;
  stop(): Promise<void>;
}

/**
 * Consume-transform-produce, exactly once: each batch's codings and dead letters are published
 * in one Kafka transaction together with the consumer offsets that cover them. A crash before
 * the commit re-delivers the batch and the aborted output is never read (consumers read
 * committed); a crash after it has nothing left to do.
 */
export async function startCodingService(options: CodingServiceOptions): Promise<RunningCodingService> {
  const { kafka, topics, logger } = options;
  const groupId = options.groupId ?? CODING_GROUP;
  const now = options.now ?? (() => new Date());
  const settings: ProcessorSettings = { ...options.settings, consumerGroup: groupId };
  const transactionalId = `evoke-coding-${groupId}-${options.instance}`;
  let producer = createTransactionalProducer(kafka, transactionalId);
  await producer.connect();
  /*
   * A transaction whose abort failed too (the broker went away mid-batch) leaves kafkajs's
   * producer stuck in state ABORTING: every later batch would fail at beginTransaction. A new
   * producer with the same transactional id starts clean; initialising it fences the old one and
   * has the coordinator abort whatever it left open.
   */
  const replaceProducer = async () => {
    const stuck = producer;
    producer = createTransactionalProducer(kafka, transactionalId);
    await stuck.disconnect().catch(() => undefined);
    await producer.connect();
  };
  const stats: CodingStats = { coded: 0, skipped: 0, deadLettered: 0 };

  const consumer = await startConsumer(kafka, {
    groupId,
    topics: [topics.intake],
    autoCommit: false,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const outcomes: Outcome[] = [];
      let lastOffset: string | undefined;
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        outcomes.push(await processMessage(message, { topic: batch.topic, partition: batch.partition }, settings, now));
        lastOffset = message.offset;
        // Coding a long transcript takes a second or more: keep the group membership alive.
        await heartbeat();
      }
      if (lastOffset === undefined) return;
      const coded: Message[] = [];
      const deadLetters: Message[] = [];
      for (const outcome of outcomes) {
        if (outcome.kind === "coded") coded.push(outcome.message);
        else if (outcome.kind === "dead-letter") deadLetters.push(outcome.message);
      }
      const nextOffset = String(BigInt(lastOffset) + 1n);
      try {
        await inTransaction(producer, async (transaction) => {
          if (coded.length > 0) await transaction.send({ topic: topics.coded, messages: coded });
          if (deadLetters.length > 0) await transaction.send({ topic: topics.deadLetter, messages: deadLetters });
          await sendOffsetsRetrying(transaction, {
            consumerGroupId: groupId,
            topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: nextOffset }] }],
          });
        });
      } catch (error) {
        // The batch fails and is delivered again; the next one needs a producer that can begin.
        await replaceProducer().catch(() => undefined);
        throw error;
      }
      resolveOffset(lastOffset);
      await heartbeat();
      for (const outcome of outcomes) {
        if (outcome.kind === "coded") {
          stats.coded += 1;
          logger.info({ sessionId: outcome.sessionId, utteranceCount: outcome.utterances }, "transcript coded");
        } else if (outcome.kind === "dead-letter") {
          stats.deadLettered += 1;
          logger.warn({ partition: batch.partition, reason: outcome.reason }, "message dead-lettered");
        } else {
          stats.skipped += 1;
        }
      }
    },
  });

  let stopping: Promise<void> | undefined;
  return {
    stats,
    consumer,
    stop: () => {
      stopping ??= consumer.stop().finally(() => producer.disconnect());
      return stopping;
    },
  };
}
