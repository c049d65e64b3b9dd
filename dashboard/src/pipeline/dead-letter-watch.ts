import { randomBytes } from "node:crypto";
import { DEFAULT_AGGREGATION_TOPICS, type DeadLetter, describeDeadLetter } from "@evoke/aggregation";
import { type EachMessagePayload, type Kafka, type RunningConsumer, startConsumer } from "@evoke/kafka";
import type { Logger } from "@evoke/logger";

/*
 * A live tally of the dead-letter topic for the engineers' "Pipeline health" page: how many,
 * why, and the latest few described by their headers alone. A dead letter's key and value are
 * the original message (possibly health data): they are read off the wire by the consumer, but
 * nothing here keeps or returns them.
 */

export interface DeadLetterReasonCount {
  readonly reason: string;
  readonly count: number;
}

export interface DeadLetterSnapshot {
  /** Dead letters on the topic, from the oldest it still retains. */
  readonly total: number;
  /** Most frequent first. */
  readonly byReason: DeadLetterReasonCount[];
  /** The most recent (newest first), headers only. */
  readonly recent: DeadLetter[];
  /** When this watch began reading the topic from its beginning, ISO 8601 (UTC). */
  readonly since: string;
}

export interface DeadLetterWatchOptions {
  /** How many recent dead letters to keep. Default 200. */
  readonly recentLimit?: number;
  /**
   * Distinct reasons counted separately; further ones are counted under OTHER_REASONS. Reasons
   * name a field or constraint, so they are few, but a bug could make each one unique.
   * Default 1,000.
   */
  readonly reasonLimit?: number;
  /** Wait before starting again after a failed start or a consumer that gave up. Default 5 s. */
  readonly restartDelayMs?: number;
  readonly logger?: Logger;
}

export const OTHER_REASONS = "(other reasons)";

export class DeadLetterWatch {
  readonly #recentLimit: number;
  readonly #reasonLimit: number;
  readonly #restartDelayMs: number;
  readonly #logger: Logger | undefined;

  #total = 0;
  readonly #byReason = new Map<string, number>();
  /** Oldest first; trimmed to the limit now and then, not on every message. */
  #recent: DeadLetter[] = [];
  /**
   * The next offset to count per partition. Nothing is committed (the group is throwaway), so a
   * consumer kafkajs restarts, or a new one after a crash, reads from the beginning again:
   * what was counted already is skipped.
   */
  readonly #next = new Map<number, bigint>();
  #since = new Date();

  #running: RunningConsumer | undefined;
  #groupId: string | undefined;
  #started = false;
  #stopped = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: DeadLetterWatchOptions = {}) {
    this.#recentLimit = options.recentLimit ?? 200;
    this.#reasonLimit = options.reasonLimit ?? 1_000;
    this.#restartDelayMs = options.restartDelayMs ?? 5_000;
    this.#logger = options.logger;
  }

  /**
   * Starts consuming the topic from its beginning. Resolves once consuming, or once stopped.
   * Does not reject for the broker's sake: while it cannot be reached this tries again every
   * `restartDelayMs` (callers that must not wait for that need not await it). A watch is
   * started once (a second start throws).
   */
  async start(kafka: Kafka, topic: string = DEFAULT_AGGREGATION_TOPICS.deadLetter): Promise<void> {
    if (this.#started) throw new Error("this DeadLetterWatch has already been started");
    this.#started = true;
    this.#since = new Date();
    while (!this.#stopped) {
      if (await this.#connect(kafka, topic)) return;
      await this.#pause();
    }
  }

  /** The throwaway group the watch consumes in now (to tell it apart in a list of groups). */
  get groupId(): string | undefined {
    return this.#groupId;
  }

  snapshot(): DeadLetterSnapshot {
    return {
      total: this.#total,
      byReason: [...this.#byReason]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      recent: this.#recent.slice(-this.#recentLimit).reverse(),
      since: this.#since.toISOString(),
    };
  }

  /** Leaves the group and stops trying; safe to call more than once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#wake?.();
    await this.#running?.stop();
  }

  /** One consumer, in a fresh group. False if it could not start. */
  async #connect(kafka: Kafka, topic: string): Promise<boolean> {
    const groupId = `evoke-dashboard-dlq-${randomBytes(6).toString("hex")}`;
    try {
      const running = await startConsumer(kafka, {
        groupId,
        topics: [topic],
        fromBeginning: true,
        // Commits nothing: every (re)start reads the topic from its beginning, and #next skips what was counted.
        autoCommit: false,
        eachMessage: async (payload) => this.#count(payload),
      });
      this.#running = running;
      this.#groupId = groupId;
      // kafkajs restarts a consumer after retriable failures (a broker briefly away) by itself;
      // one that gives up for good is replaced here, in a new group.
      running.consumer.on(running.consumer.events.CRASH, (event) => {
        if (event.payload.restart || this.#stopped) return;
        this.#logger?.warn({ groupId, error: event.payload.error.message }, "dead-letter watch stopped; restarting");
        this.#retry = setTimeout(() => void this.#restart(kafka, topic), this.#restartDelayMs);
      });
      if (this.#stopped) await running.stop();
      return true;
    } catch (error) {
      this.#logger?.warn(
        { groupId, error: error instanceof Error ? error.message : String(error) },
        "dead-letter watch could not start; retrying",
      );
      return false;
    }
  }

  async #restart(kafka: Kafka, topic: string): Promise<void> {
    await this.#running?.stop().catch(() => undefined);
    while (!this.#stopped) {
      if (await this.#connect(kafka, topic)) return;
      await this.#pause();
    }
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#retry = setTimeout(resolve, this.#restartDelayMs);
    });
  }

  #count({ partition, message }: EachMessagePayload): void {
    const offset = BigInt(message.offset);
    if (offset < (this.#next.get(partition) ?? 0n)) return;
    this.#next.set(partition, offset + 1n);

    const letter = describeDeadLetter(message, partition);
    this.#total += 1;
    const reason =
      this.#byReason.has(letter.reason) || this.#byReason.size < this.#reasonLimit ? letter.reason : OTHER_REASONS;
    this.#byReason.set(reason, (this.#byReason.get(reason) ?? 0) + 1);
    this.#recent.push(letter);
    if (this.#recent.length > 2 * this.#recentLimit) this.#recent = this.#recent.slice(-this.#recentLimit);
  }
}
