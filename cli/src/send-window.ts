import { type Batch, batches, type IngestTarget, postBatch } from "@evoke/synth/send";

/*
 * Sends events through ingest with a few batches in flight at once. One batch at a time leaves
 * ingest and Kafka idle during every round trip; a window of four keeps them busy. Batches can
 * then be acknowledged out of order, which the pipeline allows (the aggregation sink converges
 * to one state whatever the arrival order: test/integration/aggregation.any-order-once.test.ts),
 * but a checkpoint may only count the unbroken run of acknowledged batches from the start, so
 * that resuming never skips a batch that was not acknowledged.
 */

/** Ingest's default INGEST_MAX_BODY_BYTES: batch bodies stay below it. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface WindowOptions {
  /** Skip this many events, acknowledged by an earlier run. */
  readonly from: number;
  /** Batches in flight at once. */
  readonly window: number;
  /** After each advance of the acknowledged prefix: how many events it holds, `from` included. */
  readonly onAcknowledged: (acknowledged: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

export async function sendWindowed(
  events: readonly string[],
  target: IngestTarget,
  options: WindowOptions,
): Promise<number> {
  const pending: Batch[] = batches(events.slice(options.from), MAX_BODY_BYTES);
  const done: boolean[] = pending.map(() => false);
  let next = 0;
  let prefix = 0;
  let acknowledged = options.from;
  // Checkpoints are written one after another, in order.
  let reporting = Promise.resolve();

  const worker = async () => {
    for (let index = next++; index < pending.length; index = next++) {
      const batch = pending[index] as Batch; // index < length
      try {
        await postBatch(batch, target, options.signal === undefined ? {} : { signal: options.signal });
      } catch (error) {
        next = pending.length; // the other workers take no new batch
        throw error;
      }
      done[index] = true;
      let advanced = false;
      while (prefix < pending.length && done[prefix] === true) {
        acknowledged += (pending[prefix] as Batch).events;
        prefix += 1;
        advanced = true;
      }
      if (advanced) {
        const count = acknowledged;
        reporting = reporting.then(() => options.onAcknowledged(count));
        await reporting;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.window, pending.length) }, worker));
  await reporting;
  return acknowledged;
}
