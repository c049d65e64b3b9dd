/**
 * The cost of correctness at the front door: batches of 500 events POSTed over concurrent
 * connections to (a) the real ingest app, validating every event and waiting for Kafka's
 * acks=all on a real broker, and (b) a bare Hono handler that reads the body and answers 202
 * without validating or publishing. Both run in this process; autocannon generates the load
 * from a worker thread. Prints accepted events/s and p50/p99 latency for each, and the ratio.
 *
 *   pnpm bench:ingest [seconds=10] [connections=4,8,16]
 *
 * Latency is concurrency over throughput (Little's law): the connection counts show where
 * this machine's throughput saturates and what more concurrency then costs in latency.
 *
 * Uses KAFKA_BROKERS if set, else the local broker (started if needed, shared with npm start).
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { infrastructureConfig, loadConfig, Secret } from "@evoke/config";
import { DEFAULT_TIME_LIMITS, type EventType, exampleEvent } from "@evoke/events";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";
import { startIngestServer } from "@evoke/ingest";
import { createKafkaClient, deleteTopics, ensureTopics } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import autocannon from "autocannon";
import { Hono } from "hono";

const seconds = Number(process.argv[2] ?? 10);
const connectionCounts = (process.argv[3] ?? "4,8,16").split(",").map(Number);
const BATCH = 500;
const SECRET = "bench-secret-0123456789abcdef";

/** A realistic mix of small events (transcripts are benchmarked with the coding service). */
const MIX: EventType[] = [
  "evoke.session.scheduled",
  "evoke.session.attended",
  "evoke.session.missed",
  "evoke.readiness.measured",
  "evoke.client.enrolled",
];

function batchBody(): string {
  const events = Array.from({ length: BATCH }, (_, n) => {
    const type = MIX[n % MIX.length] as EventType;
    const client = `cli_${n % 97}`;
    const event = exampleEvent(type, { id: `evt_${randomBytes(6).toString("hex")}`, subject: client });
    Object.assign(event.data as Record<string, unknown>, { clientId: client });
    return event;
  });
  return JSON.stringify(events);
}

async function load(url: string, body: string, connections: number) {
  const run = (duration: number) =>
    autocannon({
      url,
      method: "POST",
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/cloudevents-batch+json" },
      body,
      connections,
      duration,
      workers: 1,
    });
  await run(3); // warm-up: JIT, connections, producer metadata
  return run(seconds);
}

async function topicSize(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

function report(label: string, result: autocannon.Result): { eventsPerSecond: number } {
  const accepted = result["2xx"];
  const eventsPerSecond = (accepted * BATCH) / result.duration;
  console.log(
    `${label.padEnd(34)} ${Math.round(eventsPerSecond).toLocaleString("en").padStart(9)} events/s   ` +
      `p50 ${String(result.latency.p50).padStart(4)} ms   p99 ${String(result.latency.p99).padStart(4)} ms   ` +
      `(${accepted} × ${BATCH}-event batches in ${result.duration.toFixed(1)} s; non-2xx ${result.non2xx}, errors ${result.errors})`,
  );
  return { eventsPerSecond };
}

const infrastructure = await provisionInfrastructure(loadConfig(infrastructureConfig), silentProgress);
const brokers = [...infrastructure.kafka.brokers];
const kafka = createKafkaClient({ brokers: infrastructure.kafka.brokers, clientId: "bench-ingest" });
const topic = `bench.ingest.${randomBytes(4).toString("hex")}`;
// The bench sends no transcripts, but ingest needs a transcripts topic to start.
const transcriptsTopic = `${topic}.transcripts`;
await ensureTopics(kafka, [
  { name: topic, partitions: 6 },
  { name: transcriptsTopic, partitions: 6 },
]);
const logger = createLogger({ name: "ingest", level: "silent" });
const ingest = await startIngestServer(
  {
    http: { port: 0, host: "127.0.0.1", maxBodyBytes: 5 * 1024 * 1024 },
    apiKeys: [{ name: "bench", secret: new Secret(SECRET) }],
    rateLimitPerSecond: 0,
    timeLimits: DEFAULT_TIME_LIMITS,
    kafka: { brokers, security: { tls: null, sasl: null } },
    logLevel: "silent",
  },
  { logger, topics: { intake: topic, transcripts: transcriptsTopic } },
);
const bare = new Hono().post("/v1/events", async (c) => {
  await c.req.text();
  return c.json({ accepted: BATCH }, 202);
});
const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const started = serve({ fetch: bare.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
});

try {
  const body = batchBody();
  console.log(
    `${BATCH}-event batches (${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB), ${seconds} s per run after a 3 s warm-up, Kafka ${brokers.join(",")}`,
  );
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/v1/events`;
  for (const connections of connectionCounts) {
    const bareResult = report(`bare Hono handler, ${connections} connections`, await load(bareUrl, body, connections));
    const before = await topicSize();
    const ingestResult = await load(`${ingest.url}/v1/events`, body, connections);
    const published = (await topicSize()) - before;
    const ingestFigures = report(`ingest, ${connections} connections`, ingestResult);
    console.log(
      `  ingest at ${((ingestFigures.eventsPerSecond / bareResult.eventsPerSecond) * 100).toFixed(1)}% of the bare rate; ` +
        `${published.toLocaleString("en")} events reached Kafka for ${(ingestResult["2xx"] * BATCH).toLocaleString("en")} acknowledged (warm-up included: never fewer)`,
    );
  }
} finally {
  await ingest.close();
  await new Promise((resolve) => bareServer.close(resolve));
  await deleteTopics(kafka, [topic, transcriptsTopic]);
  await infrastructure.release();
}
