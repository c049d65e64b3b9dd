import { type Kafka, Partitioners, type Producer, type Transaction } from "kafkajs";

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
  });
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
