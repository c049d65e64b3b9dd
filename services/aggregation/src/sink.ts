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
import { aborted, shutdownSignal } from "@evoke/lifecycle";
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
 * Transactions running at once when catching up. Each statement of a transaction is built here
 * and then run by PostgreSQL, one after the other; with a second transaction in flight, one is
 * built while the other runs. They meet, as two sink members' do, only at the derived-state
 * lock taken for the rebuilds (projections/record-events.ts), and the processed-event records
 * keep them apart. The second starts only once 4 MiB of batches wait (a backlog): a steady
 * stream keeps one transaction at a time, with all that arrived meanwhile in the next, because
 * two half-full transactions cost PostgreSQL more per event than one full one.
 */
const TRANSACTIONS_IN_FLIGHT = 2;
const SECOND_TRANSACTION_MIN_BYTES = 4 * 1024 * 1024;
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
 * transactions holding its batch and every earlier batch of the partition commit (look-ahead,
 * below). So a crash anywhere repeats at most the batches in flight, and the processed-event
 * records make the repeat a no-op (the projections depend on the set of events, not their
 * order, so which batches share a transaction does not matter).
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
    {
      weigh: (batch) => batch.bytes,
      maxWeight: MAX_TRANSACTION_BYTES,
      concurrency: TRANSACTIONS_IN_FLIGHT,
      concurrentMinWeight: SECOND_TRANSACTION_MIN_BYTES,
    },
  );

  /*
   * Look-ahead. kafkajs fetches the next round of batches only once every eachBatch of the
   * current round has returned. Waiting in eachBatch for the batch's own transaction left
   * PostgreSQL idle while the next round was fetched and decoded, and this process idle while
   * the round's last transaction ran. So eachBatch hands its batch on and returns once the
   * partition's *previous* batch is done: each partition has at most two batches in flight, and
   * the next round is fetched and decoded while this one is recorded.
   *
   * Exactly once is unchanged: a batch's offset is committed only after the batch and every
   * earlier batch of its partition are in the database (commits stay in order per partition).
   * A batch that could not be recorded (the database unreachable while stopping, the dead-letter
   * topic unreachable) sends its partition back to the batch's first offset, and the batches
   * behind it are not committed: they are all fetched again, and the processed-event records
   * make what was already recorded a no-op.
   */
  const inFlight = new Map<string, Promise<boolean>>();
  let consumerStarted: (running: RunningConsumer) => void = () => undefined;
  const started = new Promise<RunningConsumer>((resolve) => {
    consumerStarted = resolve;
  });
  const seek = (topic: string, partition: number, offset: string) =>
    void started.then(({ consumer }) => consumer.seek({ topic, partition, offset }));
  // Stopping: nothing more is handed on, and the consumer leaves the group only once the
  // batches in flight are done, so that their offsets can still be committed (stop, below).
  let draining = false;
  const leave = new AbortController();

  interface Handed extends PendingBatch {
    readonly topic: string;
    readonly partition: number;
    readonly firstOffset: string;
    readonly lastOffset: string;
    readonly deadLetters: Message[];
    readonly deadLetter: (message: KafkaMessage, reason: string) => void;
    readonly commit: (offsets: {
      topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
    }) => Promise<unknown>;
  }

  /** Records a handed-on batch; true once its offset may be (and was asked to be) committed. */
  const finish = async (handed: Handed, previous: Promise<boolean>): Promise<boolean> => {
    const { topic, partition, firstOffset, lastOffset, deadLetters } = handed;
    try {
      if (handed.received.length > 0) {
        const refused = await recordTogether(handed);
        for (const { message, reason } of refused) handed.deadLetter(message, reason);
      }
      if (deadLetters.length > 0) await producer.send({ topic: topics.deadLetter, acks: -1, messages: deadLetters });
    } catch (error) {
      // The first failure in the partition's chain goes back to its own batch; a later one is
      // covered by that (and a batch already going back has not been committed either).
      if (await previous) {
        seek(topic, partition, firstOffset);
        logger.warn(
          { topic, partition, offset: firstOffset, reason: errorCode(error) ?? (error as Error).name },
          "batch not recorded; it will be fetched again",
        );
      }
      return false;
    }
    stats.deadLettered += deadLetters.length;
    if (!(await previous)) return false;
    // The batch is in the database and its rejects in the dead-letter topic: only now may the
    // group move past it (a crash before this line repeats the batch, to no effect).
    try {
      await handed.commit({
        topics: [{ topic, partitions: [{ partition, offset: String(BigInt(lastOffset) + 1n) }] }],
      });
    } catch (error) {
      // A rebalance or a stop got there first: whoever reads the partition next repeats the
      // batch from the last committed offset, and the processed-event records skip it.
      logger.warn({ topic, partition, offset: lastOffset, reason: (error as Error).name }, "offset not committed");
    }
    return true;
  };

  const consumer = await startConsumer(kafka, {
    groupId,
    topics: topics.sources,
    autoCommit: false,
    partitionsConsumedConcurrently: options.concurrency ?? DEFAULT_PARTITIONS_IN_FLIGHT,
    maxBytesPerPartition: MAX_BATCH_BYTES,
    fetchMinBytes: FETCH_MIN_BYTES,
    fetchMaxWaitMs: FETCH_MAX_WAIT_MS,
    signal: leave.signal,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    eachBatch: async ({
      batch,
      resolveOffset,
      heartbeat,
      isRunning: consumerRunning,
      isStale,
      commitOffsetsIfNecessary,
    }) => {
      if (draining) return;
      // A stopping sink gives up waiting for an unreachable database (the batch is fetched again).
      const isRunning = () => consumerRunning() && !draining;
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
      const firstOffset = batch.messages[0]?.offset;
      if (lastOffset === undefined || firstOffset === undefined) return;
      // A whole batch is recorded through its last record, which may be a transaction's marker
      // (coding writes transactionally) or an aborted record after the last message: committing
      // only through the last message left a lag of 1 on every coded partition at rest.
      const recordedThrough = lastOffset === batch.messages.at(-1)?.offset ? batch.lastOffset() : lastOffset;

      const key = `${batch.topic}:${batch.partition}`;
      const previous = inFlight.get(key) ?? Promise.resolve(true);
      const done = finish(
        {
          topic: batch.topic,
          partition: batch.partition,
          firstOffset,
          lastOffset: recordedThrough,
          received,
          bytes,
          isRunning,
          heartbeat,
          deadLetters,
          deadLetter,
          commit: commitOffsetsIfNecessary,
        },
        previous,
      );
      inFlight.set(key, done);
      void done.then(() => {
        if (inFlight.get(key) === done) inFlight.delete(key);
      });
      // The fetch position moves on (autoCommit is off: nothing is committed by this).
      resolveOffset(lastOffset);
      await previous;
      await heartbeat();
    },
  });
  consumerStarted(consumer);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      draining = true;
      await Promise.all(inFlight.values());
      leave.abort();
      await consumer.stop();
    })().finally(() => producer.disconnect());
    return stopping;
  };
  void aborted(options.signal ?? shutdownSignal()).then(stop);
  return { stats, consumer, stop };
}
