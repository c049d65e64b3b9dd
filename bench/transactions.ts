/**
 * The fixed cost of one consume-transform-produce Kafka transaction, as the coding service runs
 * one per batch: begin, send one record, add the consumer's offsets (sendOffsets), commit. It
 * prints the mean time of each step and the requests the producer sent per transaction, by API
 * (instrumentation events), so a change to how kafkajs talks to the coordinators shows as
 * requests saved and milliseconds saved.
 *
 *   pnpm bench:transactions [transactions=300]
 *
 * Back-to-back transactions meet the coordinator still writing the last one's markers: some
 * AddPartitionsToTxn are refused (CONCURRENT_TRANSACTIONS) and retried after 20 ms, so the mean
 * moves with how many of those a run meets; it is printed beside the rest.
 * Uses KAFKA_BROKERS if set, else the local broker.
 */
import { randomBytes } from "node:crypto";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";
import {
  connectTransactional,
  createKafkaClient,
  createTransactionalProducer,
  deleteTopics,
  ensureTopics,
} from "@evoke/kafka";

const count = Number(process.argv[2] ?? 300);

const infrastructure = await provisionInfrastructure(loadConfig(infrastructureConfig), silentProgress);
const kafka = createKafkaClient({ brokers: infrastructure.kafka.brokers, clientId: "bench-transactions" });
const suffix = randomBytes(4).toString("hex");
const topic = `bench.transactions.${suffix}`;
await ensureTopics(kafka, [{ name: topic, partitions: 3 }]);
const producer = createTransactionalProducer(kafka, `bench-transactions-${suffix}`);

const requests = new Map<string, { count: number; ms: number }>();
producer.on(producer.events.REQUEST, ({ payload }) => {
  const api = requests.get(payload.apiName) ?? { count: 0, ms: 0 };
  api.count += 1;
  api.ms += payload.duration;
  requests.set(payload.apiName, api);
});

try {
  await connectTransactional(producer);
  requests.clear();
  const steps = { begin: 0, send: 0, sendOffsets: 0, commit: 0 };
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    let mark = performance.now();
    const lap = (step: keyof typeof steps) => {
      const now = performance.now();
      steps[step] += now - mark;
      mark = now;
    };
    const transaction = await producer.transaction();
    lap("begin");
    await transaction.send({ topic, messages: [{ key: String(index), value: "coded" }] });
    lap("send");
    await transaction.sendOffsets({
      consumerGroupId: `bench-transactions-${suffix}`,
      topics: [{ topic, partitions: [{ partition: 0, offset: String(index + 1) }] }],
    });
    lap("sendOffsets");
    await transaction.commit();
    lap("commit");
  }
  const elapsed = performance.now() - started;

  console.log(`${count} transactions: ${(elapsed / count).toFixed(2)} ms each`);
  console.log(
    `  steps, mean ms: ${Object.entries(steps)
      .map(([step, ms]) => `${step} ${(ms / count).toFixed(2)}`)
      .join(", ")}`,
  );
  console.log("  requests per transaction (mean ms each):");
  for (const [api, { count: sent, ms }] of [...requests].sort((a, b) => b[1].count - a[1].count))
    console.log(`    ${api.padEnd(20)} ${(sent / count).toFixed(2).padStart(5)}  (${(ms / sent).toFixed(2)} ms)`);
} finally {
  await producer.disconnect();
  await deleteTopics(kafka, [topic]);
  await infrastructure.release();
}
