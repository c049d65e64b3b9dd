import { type Database, type RecordResult, recordEvents } from "@evoke/db";
import { type EvokeEvent, fromKafkaMessage, TOPICS } from "@evoke/events";
import {
  createProducer,
  deadLetterMessage,
  groupCommit,
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
 * Partitions in flight at once (by default every partition of the three source topics). Their
 * batches share database transactions (group commit, below), so more partitions in flight
 * means fuller transactions, not more of them.
 */
const DEFAULT_PARTITIONS_IN_FLIGHT = 18;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/*
 * The most message bytes one transaction records: enough to spread its fixed cost (two dozen
 * statements, whatever the batch size) thinly, small enough to keep its arrays and rows in
 * memory comfortably while catching up.
 */
const MAX_TRANSACTION_BYTES = 16 * 1024 * 1024;
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
  /** Database transactions that recorded events (each may hold several partitions' batches). */
  transactions: number;
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

/** One partition's batch, decoded, waiting for a database transaction. */
interface PendingBatch {
  readonly received: readonly Received[];
  readonly bytes: number;
  readonly isRunning: () => boolean;
  readonly heartbeat: () => Promise<void>;
}

/** The batch's events the database refused although they are valid: they are dead-lettered. */
type Refused = readonly { readonly message: KafkaMessage; readonly reason: string }[];

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
 * The sink: the batches of the partitions in flight are recorded in database transactions (the
 * projections plus the processed-event records), several partitions' batches to a transaction
 * when they are ready together, and each partition's offset is committed only after the
 * transaction holding its batch commits. So a crash anywhere repeats at most the batches in
 * flight, and the processed-event records make the repeat a no-op (the projections depend on
 * the set of events, not their order, so which batches share a transaction does not matter).
 * Messages that are not valid events are dead-lettered first (before the offset moves past
 * them: a crash may duplicate a dead letter, never lose one).
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
  /** Partitions in flight at once, their batches sharing transactions when ready together (default 18). */
  readonly concurrency?: number;
}): Promise<RunningSink> {
  const { kafka, db, topics, logger } = options;
  const groupId = options.groupId ?? AGGREGATION_GROUP;
  const producer = createProducer(kafka);
  await producer.connect();
  const stats: SinkStats = {
    applied: 0,
    duplicates: 0,
    erased: 0,
    deadLettered: 0,
    transactions: 0,
    databaseRetries: 0,
  };

  const add = (result: RecordResult) => {
    stats.applied += result.applied;
    stats.duplicates += result.duplicates;
    stats.erased += result.erased;
  };

  /*
   * One transaction for whichever batches are ready together (group commit): under a steady
   * stream each partition's fetch brings a few events, and a transaction per partition would
   * pay its fixed cost (the rebuild statements) many times over. A valid event the database
   * still refuses (a bug, a value out of range) must not block its partition: then the group is
   * recorded one event at a time and whichever fails is handed back to be dead-lettered.
   */
  const recordTogether = groupCommit<PendingBatch, Refused>(
    async (group) => {
      const { isRunning, heartbeat } = group[0] as PendingBatch;
      const record = (events: readonly EvokeEvent[]) =>
        retryTransient(() => db.transaction((tx) => recordEvents(tx, events)), {
          isRunning,
          whileWaiting: heartbeat,
          onRetry: (attempt, error, delayMs) => {
            stats.databaseRetries += 1;
            logger.warn({ attempt, delayMs, code: errorCode(error) }, "database unavailable; retrying the batch");
          },
        });
      try {
        const result = await record(group.flatMap((batch) => batch.received.map(({ event }) => event)));
        add(result);
        stats.transactions += 1;
        logger.debug({ partitions: group.length, ...result }, "batches recorded");
        return group.map(() => []);
      } catch (error) {
        if (isTransient(error) || !isRunning()) throw error;
        logger.warn({ reason: databaseRefusal(error) }, "batch refused; recording its events one at a time");
      }
      const refused: Refused[] = [];
      for (const batch of group) {
        const refusedHere: { message: KafkaMessage; reason: string }[] = [];
        for (const { event, message } of batch.received) {
          try {
            add(await record([event]));
            stats.transactions += 1;
          } catch (eventError) {
            if (isTransient(eventError) || !isRunning()) throw eventError;
            refusedHere.push({ message, reason: databaseRefusal(eventError) });
          }
        }
        refused.push(refusedHere);
      }
      return refused;
    },
    { weigh: (batch) => batch.bytes, maxWeight: MAX_TRANSACTION_BYTES },
  );

  const consumer = await startConsumer(kafka, {
    groupId,
    topics: topics.sources,
    autoCommit: false,
    partitionsConsumedConcurrently: options.concurrency ?? DEFAULT_PARTITIONS_IN_FLIGHT,
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
      let bytes = 0;
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const parsed = fromKafkaMessage(message);
        if (parsed.ok) received.push({ event: parsed.event, message });
        else deadLetter(message, contractViolation(parsed.issues));
        bytes += message.value?.length ?? 0;
        lastOffset = message.offset;
      }
      if (lastOffset === undefined) return;

      if (received.length > 0) {
        const refused = await recordTogether({ received, bytes, isRunning, heartbeat });
        for (const { message, reason } of refused) deadLetter(message, reason);
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
      stats.deadLettered += deadLetters.length;
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
