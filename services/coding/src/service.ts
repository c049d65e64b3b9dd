import {
  connectTransactional,
  createTransactionalProducer,
  groupCommit,
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

/** Partitions whose batches are coded and committed at once (one transaction may carry them all). */
const PARTITIONS_IN_FLIGHT = 6;

/**
 * A batch still being coded publishes what it has coded once this long has passed since its last
 * publication. A fetched backlog can hold a hundred transcripts, seconds of coding: without this
 * the first transcript's coding would wait for the last one's.
 */
const PUBLISH_EVERY_MS = 250;

/** One partition's batch, coded, waiting for a transaction. */
interface ReadyBatch {
  readonly coded: readonly Message[];
  readonly deadLetters: readonly Message[];
  readonly topic: string;
  readonly partition: number;
  /** The offset the group moves to once the transaction commits. */
  readonly nextOffset: string;
}

/** The consumer offsets a group of batches commits, by topic. */
function offsetsOf(group: readonly ReadyBatch[]) {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, nextOffset } of group) {
    const partitions = byTopic.get(topic) ?? [];
    partitions.push({ partition, offset: nextOffset });
    byTopic.set(topic, partitions);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** Runs the tasks given to it one after another, in the order given. */
function serially() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const next = last.then(task, task);
    last = next.catch(() => undefined);
    return next;
  };
}

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
  /** Default PUBLISH_EVERY_MS; tests shorten it. */
  readonly publishEveryMs?: number;
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
 * in a Kafka transaction together with the consumer offsets that cover them. A crash before
 * the commit re-delivers the batch and the aborted output is never read (consumers read
 * committed); a crash after it has nothing left to do.
 */
export async function startCodingService(options: CodingServiceOptions): Promise<RunningCodingService> {
  const { kafka, topics, logger } = options;
  const groupId = options.groupId ?? CODING_GROUP;
  const now = options.now ?? (() => new Date());
  const publishEveryMs = options.publishEveryMs ?? PUBLISH_EVERY_MS;
  const settings: ProcessorSettings = { ...options.settings, consumerGroup: groupId };
  const transactionalId = `evoke-coding-${groupId}-${options.instance}`;
  let producer = createTransactionalProducer(kafka, transactionalId);
  // Before joining the group: a member that is handed partitions can publish at once.
  await connectTransactional(producer);
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
    await connectTransactional(producer);
  };
  const stats: CodingStats = { coded: 0, skipped: 0, deadLettered: 0 };

  /*
   * Each partition's batch is coded, then committed in a transaction shared with whichever
   * other partitions' batches are ready by then (group commit, as ingest's publisher does for
   * requests): while one transaction's round trips run, the next partitions' transcripts are
   * being coded, so how soon a coding appears is bounded by the coding work, not by a string of
   * transactions one partition at a time. Coding itself stays one transcript at a time (the
   * coder's encoder is one per process).
   */
  const commitTogether = groupCommit<ReadyBatch, void>(async (group) => {
    try {
      await inTransaction(producer, async (transaction) => {
        const coded = group.flatMap((ready) => ready.coded);
        const deadLetters = group.flatMap((ready) => ready.deadLetters);
        if (coded.length > 0) await transaction.send({ topic: topics.coded, messages: coded });
        if (deadLetters.length > 0) await transaction.send({ topic: topics.deadLetter, messages: deadLetters });
        await sendOffsetsRetrying(transaction, { consumerGroupId: groupId, topics: offsetsOf(group) });
      });
    } catch (error) {
      // The batches fail and are delivered again; the next ones need a producer that can begin.
      await replaceProducer().catch(() => undefined);
      throw error;
    }
    return group.map(() => undefined);
  });
  const codeOneAtATime = serially();
  const sources = [topics.transcripts, ...(topics.legacyIntake === undefined ? [] : [topics.legacyIntake])];

  const consumer = await startConsumer(kafka, {
    groupId,
    topics: sources,
    autoCommit: false,
    partitionsConsumedConcurrently: PARTITIONS_IN_FLIGHT,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      const origin = { topic: batch.topic, partition: batch.partition };
      /*
       * The batch goes out in parts: every publishEveryMs, what is coded so far is handed to a
       * transaction while coding carries on. A part is handed on only once the part before it
       * committed, so a partition's offsets only ever move past codings that are published; a
       * part that fails stops the batch, and the rest is fetched again from the last committed part.
       */
      let published: Promise<void> = Promise.resolve();
      let failed = false;
      const publish = (outcomes: readonly Outcome[], lastOffset: string) => {
        published = published.then(async () => {
          await commitTogether(readyBatch(outcomes, origin, lastOffset));
          resolveOffset(lastOffset);
          tally(outcomes, batch.partition);
        });
        // Seen at the loop's next turn, and awaited below: never an unhandled rejection.
        published.catch(() => {
          failed = true;
        });
      };

      let part: Outcome[] = [];
      let partStarted = performance.now();
      let lastOffset: string | undefined;
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || failed) break;
        part.push(await codeOneAtATime(() => processMessage(message, origin, settings, now)));
        lastOffset = message.offset;
        // Coding a long transcript takes a second or more: keep the group membership alive.
        await heartbeat();
        if (performance.now() - partStarted >= publishEveryMs) {
          publish(part, lastOffset);
          part = [];
          partStarted = performance.now();
        }
      }
      if (part.length > 0 && lastOffset !== undefined && !failed) publish(part, lastOffset);
      await published;
      await heartbeat();
    },
  });

  /** A part of a batch, coded, as the transaction takes it. */
  function readyBatch(
    outcomes: readonly Outcome[],
    origin: { readonly topic: string; readonly partition: number },
    lastOffset: string,
  ): ReadyBatch {
    const coded: Message[] = [];
    const deadLetters: Message[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === "coded") coded.push(outcome.message);
      else if (outcome.kind === "dead-letter") deadLetters.push(outcome.message);
    }
    return { coded, deadLetters, ...origin, nextOffset: String(BigInt(lastOffset) + 1n) };
  }

  /** Counts and logs a committed part's outcomes (after the commit: a failed part is coded again). */
  function tally(outcomes: readonly Outcome[], partition: number) {
    for (const outcome of outcomes) {
      if (outcome.kind === "coded") {
        stats.coded += 1;
        logger.info({ sessionId: outcome.sessionId, utteranceCount: outcome.utterances }, "transcript coded");
      } else if (outcome.kind === "dead-letter") {
        stats.deadLettered += 1;
        logger.warn({ partition, reason: outcome.reason }, "message dead-lettered");
      } else {
        stats.skipped += 1;
      }
    }
  }

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
