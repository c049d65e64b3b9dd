import { aborted, shutdownSignal } from "@evoke/lifecycle";
import type { Consumer, EachBatchHandler, EachMessageHandler, Kafka } from "kafkajs";
import { explainKafkaError } from "./access-errors.ts";
import { accessContextOf } from "./client.ts";

interface CommonConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. Default true: a new sink reads history. */
  readonly fromBeginning?: boolean;
  /** Skip records of aborted and still-open transactions. Default true. */
  readonly readCommitted?: boolean;
  /** Default true. Database sinks set false and commit after their own transaction. */
  readonly autoCommit?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  /** Stops the consumer when aborted. Default: the process's SIGINT/SIGTERM signal. */
  readonly signal?: AbortSignal;
  /**
   * How long to wait for the first group join before giving up. Default: the session timeout
   * plus 30 s (a minute with kafkajs's defaults): see KAFKAJS_SESSION_TIMEOUT_MS.
   */
  readonly joinTimeoutMs?: number;
  /**
   * How long the group waits for a silent member before handing its partitions to others.
   * Default kafkajs's 30 s; a crashed member's partitions stall that long.
   */
  readonly sessionTimeoutMs?: number;
  /** Most bytes fetched per partition at once (kafkajs default 1 MiB): bigger batches for sinks. */
  readonly maxBytesPerPartition?: number;
  /**
   * Fewest bytes the broker gathers before answering a fetch, waiting at most `fetchMaxWaitMs`
   * (kafkajs defaults: 1 byte, 5 s). Under a steady stream a 1-byte minimum answers each fetch
   * with whatever arrived since the last: many small fetches and batches. A larger minimum with
   * a short wait trades at most that wait in freshness for fewer, fuller batches.
   */
  readonly fetchMinBytes?: number;
  readonly fetchMaxWaitMs?: number;
  /**
   * Told about every batch the consumer finishes, including those kafkajs does not pass to
   * eachBatch because they held only transaction markers or aborted records.
   */
  readonly onBatchEnd?: (batch: {
    topic: string;
    partition: number;
    lastOffset: string;
    highWatermark: string;
  }) => void;
}

export type ConsumerOptions = CommonConsumerOptions &
  (
    | { readonly eachBatch: EachBatchHandler; readonly eachMessage?: never }
    | { readonly eachMessage: EachMessageHandler; readonly eachBatch?: never }
  );

export interface RunningConsumer {
  readonly consumer: Consumer;
  /** Leaves the group and disconnects; safe to call more than once. */
  stop(): Promise<void>;
  /** Settles once the consumer has stopped, for whatever reason. */
  readonly stopped: Promise<void>;
}

/** kafkajs's default session timeout. */
const KAFKAJS_SESSION_TIMEOUT_MS = 30_000;

/*
 * An instance restarted after a crash (SIGKILL, OOM) cannot join until its dead predecessor is
 * dropped from the group, which happens only when that member's session times out: up to the
 * whole session timeout after the crash. The join timeout used to be 30 s, the same as the
 * session timeout, so a quick restart raced it: joins right after a SIGKILL took 26 to 29.5 s
 * (test/resilience saw a restarted aggregation service join after 29 s), and one that lost
 * the race would give up ("did not join") and exit instead of recovering. The default now
 * leaves the session timeout plus half a minute for the rebalance itself.
 */
const JOIN_MARGIN_MS = 30_000;

export class ConsumerJoinError extends Error {
  override readonly name = "ConsumerJoinError";
}

/**
 * Subscribes, starts consuming and resolves only once the group has been joined, because
 * kafkajs's `run()` resolves earlier, and a producer that writes before the join would have
 * its first messages skipped by a `fromBeginning: false` consumer.
 */
export async function startConsumer(kafka: Kafka, options: ConsumerOptions): Promise<RunningConsumer> {
  const {
    groupId,
    topics,
    fromBeginning = true,
    readCommitted = true,
    autoCommit = true,
    partitionsConsumedConcurrently = 1,
    signal = shutdownSignal(),
    joinTimeoutMs = (options.sessionTimeoutMs ?? KAFKAJS_SESSION_TIMEOUT_MS) + JOIN_MARGIN_MS,
  } = options;

  const consumer = kafka.consumer({
    groupId,
    readUncommitted: !readCommitted,
    ...(options.sessionTimeoutMs === undefined
      ? {}
      : { sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: Math.floor(options.sessionTimeoutMs / 3) }),
    ...(options.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: options.maxBytesPerPartition, maxBytes: 4 * options.maxBytesPerPartition }),
    ...(options.fetchMinBytes === undefined ? {} : { minBytes: options.fetchMinBytes }),
    ...(options.fetchMaxWaitMs === undefined ? {} : { maxWaitTimeInMs: options.fetchMaxWaitMs }),
  });
  if (options.onBatchEnd !== undefined) {
    const onBatchEnd = options.onBatchEnd;
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, lastOffset, highWatermark } = event.payload;
      onBatchEnd({ topic, partition, lastOffset, highWatermark });
    });
  }
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= consumer.disconnect().finally(() => resolveStopped());
    return stopping;
  };

  const runOptions = {
    autoCommit,
    partitionsConsumedConcurrently,
    ...(options.eachBatch === undefined ? { eachMessage: options.eachMessage } : { eachBatch: options.eachBatch }),
  };

  /*
   * kafkajs restarts a crashed consumer only after an error it deems retriable. One that gave
   * up instead (seen in test/resilience: "Failed to find group coordinator" while the broker
   * restarted and its retries ran out) leaves the consumer disconnected for good while the
   * service runs on, healthy-looking and consuming nothing. Once the consumer has joined, such a
   * crash starts it again here, backing off, until it runs or the consumer is stopped.
   */
  let hasJoined = false;
  let attempts = 0;
  let restartPending = false;
  let crashedMeanwhile = false;
  const restartAfterCrash = async (): Promise<void> => {
    restartPending = true;
    crashedMeanwhile = false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** attempts, 30_000)));
    attempts += 1;
    if (stopping === undefined && !signal.aborted) {
      try {
        await consumer.connect();
        await consumer.run(runOptions); // a crash while it starts comes as a CRASH event
      } catch {
        crashedMeanwhile = true;
      }
    }
    restartPending = false;
    if (crashedMeanwhile && stopping === undefined && !signal.aborted) void restartAfterCrash();
  };
  consumer.on(consumer.events.GROUP_JOIN, () => {
    hasJoined = true;
    attempts = 0;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (event.payload.restart || !hasJoined || stopping !== undefined || signal.aborted) return;
    if (restartPending) crashedMeanwhile = true;
    else void restartAfterCrash();
  });

  let joinTimer: NodeJS.Timeout | undefined;
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ConsumerJoinError(`group "${groupId}" did not join within ${joinTimeoutMs} ms`)),
      joinTimeoutMs,
    );
    joinTimer = timer;
    const removeJoin = consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      removeJoin();
      resolve();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      clearTimeout(timer);
      // A refused ACL (group or topic) is said as such, not as a crash.
      reject(
        explainKafkaError(event.payload.error, accessContextOf(kafka)) ??
          new ConsumerJoinError(`group "${groupId}" crashed: ${event.payload.error.message}`),
      );
    });
  });

  // When connecting, subscribing or running fails first, nobody awaits `joined`: its timer must
  // neither fire later as an unhandled rejection nor keep the process waiting.
  joined.catch(() => undefined);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning });
    await consumer.run(runOptions);
    await joined;
  } catch (error) {
    clearTimeout(joinTimer);
    await stop();
    throw error;
  }

  void aborted(signal).then(stop);
  return { consumer, stop, stopped };
}
