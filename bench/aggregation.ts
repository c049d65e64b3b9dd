/**
 * The sink's throughput: a pre-filled pair of topics (intake and coded) holding a synthetic
 * clinic's mixed events (enrolments, readiness measures, sessions in every status, transcripts,
 * automatic codings, discharges) is consumed, in the same run, by
 *   (a) a consumer that reads every message and writes nothing (the Kafka ceiling),
 *   (b) the same, also parsing and validating every event (the contract's cost),
 *   (c) the aggregation sink, into a fresh migrated database (the real thing),
 *   (d) a COPY of the same events as rows (source, id, type, data jsonb) into a plain table
 *       (PostgreSQL's own ceiling for writing these bytes),
 * and prints events/s for each and the sink's share of the read-only rate.
 *
 *   pnpm bench:aggregation [clients=5000] [partitions-in-flight=the sink's default]
 *
 * Uses KAFKA_BROKERS/DATABASE_URL if set, else the local broker and embedded PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { startSink } from "@evoke/aggregation";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { connectDatabase, dropDatabase, ensureDatabase, migrateDatabase, withDatabase } from "@evoke/db";
import { fromKafkaMessage, toKafkaMessage } from "@evoke/events";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";
import { createKafkaClient, createProducer, deleteTopics, ensureTopics, type Kafka, startConsumer } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { syntheticClinic } from "./support/synthetic-clinic.ts";

const clientCount = Number(process.argv[2] ?? 5_000);
/** Partitions in flight; by default the sink's own (its batches share transactions either way). */
const concurrency = process.argv[3] === undefined || process.argv[3] === "" ? undefined : Number(process.argv[3]);
const PARTITIONS = 6;

// ---- the runs ----------------------------------------------------------------------------------

function report(label: string, events: number, ms: number): number {
  const rate = (events / ms) * 1000;
  console.log(
    `${label.padEnd(44)} ${Math.round(rate).toLocaleString("en").padStart(8)} events/s  (${events.toLocaleString("en")} in ${(ms / 1000).toFixed(1)} s)`,
  );
  return rate;
}

/** Consumes both topics from the start with a fresh group until `total` messages are seen. */
async function consumeAll(kafka: Kafka, topics: string[], total: number, parse: boolean): Promise<number> {
  let seen = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const started = performance.now();
  const consumer = await startConsumer(kafka, {
    groupId: `bench-read-${randomBytes(4).toString("hex")}`,
    topics,
    eachBatch: async ({ batch }) => {
      if (parse) for (const message of batch.messages) fromKafkaMessage(message);
      seen += batch.messages.length;
      if (seen >= total) done();
    },
  });
  await finished;
  const elapsed = performance.now() - started;
  await consumer.stop();
  return elapsed;
}

const config = loadConfig(infrastructureConfig);
const infrastructure = await provisionInfrastructure(config, silentProgress);
const kafka = createKafkaClient({ brokers: infrastructure.kafka.brokers, clientId: "bench-aggregation" });
const suffix = randomBytes(4).toString("hex");
const topics = { intake: `bench.intake.${suffix}`, coded: `bench.coded.${suffix}`, deadLetter: `bench.dlq.${suffix}` };
const databaseUrl = withDatabase(infrastructure.postgres.url, `evoke_bench_aggregation_${suffix}`);

try {
  const generating = performance.now();
  const events = syntheticClinic(clientCount);
  const coded = events.filter((event) => event.type === "evoke.session.coded");
  const intake = events.filter((event) => event.type !== "evoke.session.coded");
  const bytes = events.reduce((sum, event) => sum + JSON.stringify(event.data).length, 0);
  console.log(
    `${events.length.toLocaleString("en")} events for ${clientCount.toLocaleString("en")} clients ` +
      `(${(bytes / 1024 / 1024).toFixed(0)} MiB of data; ${coded.length.toLocaleString("en")} codings), ` +
      `generated in ${((performance.now() - generating) / 1000).toFixed(1)} s; ${PARTITIONS} partitions per topic`,
  );
  await ensureTopics(kafka, [
    { name: topics.intake, partitions: PARTITIONS },
    { name: topics.coded, partitions: PARTITIONS },
    { name: topics.deadLetter, partitions: 1 },
  ]);
  const producer = createProducer(kafka);
  await producer.connect();
  for (const [topic, list] of [
    [topics.intake, intake],
    [topics.coded, coded],
  ] as const) {
    for (let i = 0; i < list.length; i += 200) {
      await producer.send({ topic, acks: -1, messages: list.slice(i, i + 200).map((event) => toKafkaMessage(event)) });
    }
  }
  await producer.disconnect();

  const sources = [topics.intake, topics.coded];
  const readOnly = report("(a) read only", events.length, await consumeAll(kafka, sources, events.length, false));
  report("(b) read, parse and validate", events.length, await consumeAll(kafka, sources, events.length, true));

  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  const database = connectDatabase(databaseUrl, { max: 4, applicationName: "bench-aggregation" });
  const sinkStarted = performance.now();
  const sinkCpu = process.cpuUsage();
  const sink = await startSink({
    kafka,
    db: database.db,
    topics: { sources, deadLetter: topics.deadLetter },
    logger: createLogger({ name: "aggregation", level: "silent" }),
    groupId: `bench-sink-${suffix}`,
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  while (sink.stats.applied + sink.stats.duplicates < events.length) await new Promise((r) => setTimeout(r, 50));
  const sinkMs = performance.now() - sinkStarted;
  const { user, system } = process.cpuUsage(sinkCpu);
  await sink.stop();
  const sinkRate = report(
    `(c) aggregation sink, ${concurrency ?? "the default"} partitions in flight`,
    events.length,
    sinkMs,
  );
  console.log(
    `    ${sink.stats.transactions} transactions, ${(events.length / sink.stats.transactions).toFixed(0)} events each on average; ` +
      `this process used ${((user + system) / 1e6).toFixed(1)} s of CPU in ${(sinkMs / 1000).toFixed(1)} s`,
  );

  await database.sql`create table bench_copy (source text, event_id text, type text, data jsonb)`;
  const copyStarted = performance.now();
  const copy = await database.sql`copy bench_copy from stdin`.writable();
  const copyEscape = (text: string) => text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
  await pipeline(
    Readable.from(
      (function* () {
        for (const event of events) {
          yield `${copyEscape(event.source)}\t${copyEscape(event.id)}\t${event.type}\t${copyEscape(JSON.stringify(event.data))}\n`;
        }
      })(),
    ),
    copy,
  );
  report("(d) COPY of the events as rows", events.length, performance.now() - copyStarted);
  await database.close();

  console.log(
    `sink at ${((sinkRate / readOnly) * 100).toFixed(1)}% of the read-only rate ` +
      `(targets: >= 15,000 events/s and >= 40%)`,
  );
} finally {
  await deleteTopics(kafka, Object.values(topics)).catch(() => undefined);
  await dropDatabase(databaseUrl).catch(() => undefined);
  await infrastructure.release();
}
