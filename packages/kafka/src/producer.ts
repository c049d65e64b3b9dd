import { setTimeout as delay } from "node:timers/promises";
import { type Kafka, type Offsets, Partitioners, type Producer, type Transaction } from "kafkajs";

/**
 * An idempotent producer: retries after a lost acknowledgement cannot write a message twice.
 * The partitioner is named explicitly (kafkajs 2's default, murmur2 like the Java client) so
 * keys land on the same partitions whichever client wrote them.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/**
 * A transactional producer for consume-transform-produce stages. `transactionalId` must be
 * stable per logical producer (e.g. service + partition set) so a restarted instance fences
 * its zombie predecessor.
 */
export function createTransactionalProducer(kafka: Kafka, transactionalId: string): Producer {
  return kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: TRANSACTION_RETRY,
  });
}

/*
 * A transaction begun right after the last one committed finds the coordinator still writing
 * that one's markers: AddPartitionsToTxn is refused with CONCURRENT_TRANSACTIONS for a
 * millisecond or two. kafkajs retries it like any failed send, first after 300 ms (its
 * default), so back-to-back transactions (group commit under a steady stream) each lost about a
 * third of a second. The Java client waits 20 ms. Here, a first retry after 2 ms was refused no more
 * often than one after 20 (bench:transactions on a freshly started broker: 1.84-1.94
 * AddPartitionsToTxn a transaction either way), and a transaction took 9-10 ms instead of 28-31. Same endless retries
 * as kafkajs gives an idempotent producer, starting sooner; each wait still doubles up to 30 s.
 */
const TRANSACTION_RETRY = { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 2, maxRetryTime: 30_000 };

/**
 * Connects a transactional producer and registers its transactional id with the coordinator now
 * (InitProducerId), as Java's `initTransactions()` does: that fences an earlier instance with the
 * same id and has the coordinator finish whatever transaction it left open. kafkajs does it only
 * at the first transaction, so the first batch paid for it, and on a new cluster that includes
 * creating the transaction log (1.3-1.8 s of retries here). An empty transaction ends without
 * a request to the broker (kafkajs sends EndTxn only once a partition or offsets were added).
 */
export async function connectTransactional(producer: Producer): Promise<void> {
  await producer.connect();
  const transaction = await producer.transaction();
  await transaction.abort();
}

/**
 * Runs `work` inside one Kafka transaction: commits if it resolves, aborts if it throws
 * (and rethrows), so no caller can forget either path.
 */
export async function inTransaction<T>(producer: Producer, work: (transaction: Transaction) => Promise<T>): Promise<T> {
  const transaction = await producer.transaction();
  let result: T;
  try {
    result = await work(transaction);
  } catch (error) {
    await transaction.abort();
    throw error;
  }
  await transaction.commit();
  return result;
}

/** How often, and how patiently, a concurrent-transaction refusal is tried again. */
const CONCURRENT_RETRIES = 12;
const CONCURRENT_FIRST_WAIT_MS = 20;
const CONCURRENT_MAX_WAIT_MS = 1_000;

function isConcurrentTransactions(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === "CONCURRENT_TRANSACTIONS";
}

/**
 * `transaction.sendOffsets`, tried again while the coordinator answers CONCURRENT_TRANSACTIONS.
 * Right after a commit the coordinator is still writing the previous transaction's markers and
 * refuses AddOffsetsToTxn until it has; the Java client waits and retries (20 ms, then backing
 * off), but kafkajs 2.2.4 retries only the offset commit that follows, not AddOffsetsToTxn
 * (tulios/kafkajs#430). Under load the refusal outlasted a batch, failed it and restarted the
 * coding consumer about 9 s later (bench/pipeline). The transaction stays open meanwhile, so
 * trying again is safe.
 */
export async function sendOffsetsRetrying(transaction: Transaction, offsets: Offsets & { consumerGroupId: string }) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction.sendOffsets(offsets);
    } catch (error) {
      if (!isConcurrentTransactions(error) || attempt >= CONCURRENT_RETRIES) throw error;
      await delay(Math.min(CONCURRENT_FIRST_WAIT_MS * 2 ** (attempt - 1), CONCURRENT_MAX_WAIT_MS));
    }
  }
}
