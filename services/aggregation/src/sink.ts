import { type Database, type RecordResult, recordEvents } from "@evoke/db";
import { type EvokeEvent, fromKafkaMessage, TOPICS } from "@evoke/events";
import {
  createProducer,
  deadLetterMessage,
  type Kafka,
  type KafkaMessage,
  type Message,
  type RunningConsumer,
  startConsumer,
} from "@evoke/kafka";
import type { Logger } from "@evoke/logger";
import { errorCode, isTransient, retryTransient } from "./retry.ts";

export const AGGREGATION_GROUP = "aggregation";

/*
 * Throughput (bench/aggregation): bigger batches spread each transaction's fixed cost (the
 * rebuild statements) over more events, and two partitions in flight overlap one
 * transaction's database time with the next batch's fetching and validation.
 */
const DEFAULT_CONCURRENCY = 2;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/*
 * Under a steady stream, kafkajs's default fetch (answer as soon as 1 byte is there) brings each
 * partition a few events at a time, and each batch pays a transaction. Letting the broker gather
 * 256 KiB, or wait 200 ms, makes fewer and fuller batches: about 8% less CPU per event across
 * the pipeline in bench/pipeline's small-event load, for at most 200 ms of freshness.
 */
const FETCH_MIN_BYTES = 256 * 1024;
const FETCH_MAX_WAIT_MS = 200;

export interface AggregationTopics {
  readonly sources: readonly string[];
  readonly deadLetter: string;
}

export const DEFAULT_AGGREGATION_TOPICS: AggregationTopics = {
  sources: [TOPICS.intake, TOPICS.transcripts, TOPICS.coded],
  deadLetter: TOPICS.deadLetter,
};

export interface SinkStats {
  applied: number;
  duplicates: number;
  /** Events of an erased client: recorded as processed and skipped (not dead letters). */
  erased: number;
  deadLettered: number;
  batches: number;
  /** Attempts repeated because the database was unreachable. */
  databaseRetries: number;
}

export interface RunningSink {
  readonly stats: Readonly<SinkStats>;
  readonly consumer: RunningConsumer;
  stop(): Promise<void>;
}

interface Received {
  readonly event: EvokeEvent;
  readonly message: KafkaMessage;
}

function contractViolation(issues: readonly { field: string; reason: string }[]): string {
  const listed = issues.slice(0, 5).map((issue) => `${issue.field || "(event)"}: ${issue.reason}`);
  return `invalid event: ${listed.join("; ")}`;
}

/** Only the error's class, never its message: Postgres puts row values (health data) in details. */
function databaseRefusal(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const { constraint_name: constraint } = cause as { constraint_name?: string };
  return `rejected by the database: ${errorCode(error) ?? (cause as Error).name}${constraint ? ` (${constraint})` : ""}`;
}

/**
 * The sink: each batch from a partition becomes one database transaction (the projections plus
 * the processed-event records), and the partition's offset is committed only after it commits.
 * So a crash anywhere repeats at most the batch in flight, and the processed-event records make
 * the repeat a no-op. Messages that are not valid events are dead-lettered first (before the
 * offset moves past them: a crash may duplicate a dead letter, never lose one).
 */
export async function startSink(options: {
  readonly kafka: Kafka;
  readonly db: Database;
  readonly topics: AggregationTopics;
  readonly logger: Logger;
  readonly groupId?: string;
  readonly signal?: AbortSignal;
  /** How soon a crashed instance's partitions go to another (default kafkajs's 30 s). */
  readonly sessionTimeoutMs?: number;
  /** Partitions recorded at once, each in its own transaction (default 2). */
  readonly concurrency?: number;
}): Promise<RunningSink> {
  const { kafka, db, topics, logger } = options;
  const groupId = options.groupId ?? AGGREGATION_GROUP;
  const producer = createProducer(kafka);
  await producer.connect();
  const stats: SinkStats = { applied: 0, duplicates: 0, erased: 0, deadLettered: 0, batches: 0, databaseRetries: 0 };

  const consumer = await startConsumer(kafka, {
    groupId,
    topics: topics.sources,
    autoCommit: false,
    partitionsConsumedConcurrently: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxBytesPerPartition: MAX_BATCH_BYTES,
    fetchMinBytes: FETCH_MIN_BYTES,
    fetchMaxWaitMs: FETCH_MAX_WAIT_MS,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
      const received: Received[] = [];
      const deadLetters: Message[] = [];
      const deadLetter = (message: KafkaMessage, reason: string) => {
        deadLetters.push(
          deadLetterMessage(
            message,
            { topic: batch.topic, partition: batch.partition, offset: message.offset, consumer: groupId },
            reason,
          ),
        );
        logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, reason },
          "message dead-lettered",
        );
      };
      let lastOffset: string | undefined;
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const parsed = fromKafkaMessage(message);
        if (parsed.ok) received.push({ event: parsed.event, message });
        else deadLetter(message, contractViolation(parsed.issues));
        lastOffset = message.offset;
      }
      if (lastOffset === undefined) return;

      const record = (events: readonly EvokeEvent[]) =>
        retryTransient(() => db.transaction((tx) => recordEvents(tx, events)), {
          isRunning,
          whileWaiting: heartbeat,
          onRetry: (attempt, error, delayMs) => {
            stats.databaseRetries += 1;
            logger.warn({ attempt, delayMs, code: errorCode(error) }, "database unavailable; retrying the batch");
          },
        });
      let result: RecordResult;
      try {
        result = await record(received.map(({ event }) => event));
      } catch (error) {
        if (isTransient(error) || !isRunning()) throw error;
        // A valid event the database still refuses (a bug, a value out of range) must not block
        // the partition: record the batch one event at a time and dead-letter whichever fails.
        logger.warn({ reason: databaseRefusal(error) }, "batch refused; recording its events one at a time");
        result = { applied: 0, duplicates: 0, erased: 0 };
        for (const { event, message } of received) {
          try {
            const single = await record([event]);
            result = {
              applied: result.applied + single.applied,
              duplicates: result.duplicates + single.duplicates,
              erased: result.erased + single.erased,
            };
          } catch (eventError) {
            if (isTransient(eventError) || !isRunning()) throw eventError;
            deadLetter(message, databaseRefusal(eventError));
          }
        }
      }
      if (deadLetters.length > 0) await producer.send({ topic: topics.deadLetter, acks: -1, messages: deadLetters });
      // The batch is in the database and its rejects in the dead-letter topic: only now may the
      // group move past it (a crash before this line repeats the batch, to no effect).
      await commitOffsetsIfNecessary({
        topics: [
          { topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(BigInt(lastOffset) + 1n) }] },
        ],
      });
      resolveOffset(lastOffset);
      await heartbeat();
      stats.applied += result.applied;
      stats.duplicates += result.duplicates;
      stats.erased += result.erased;
      stats.deadLettered += deadLetters.length;
      stats.batches += 1;
      logger.debug({ topic: batch.topic, partition: batch.partition, ...result }, "batch recorded");
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
