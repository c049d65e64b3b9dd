/**
 * CSV import throughput on a generated 100,000-row sessions file (scheduled, attended, missed
 * and cancelled rows of 5,000 clients):
 *
 *   (a) read + validate: packages/import's validateImport on the file (csv-parse, mapping,
 *       validateEvent per event), in this process: rows/s;
 *   (b) `pnpm mi import` end to end: the real command as its own process, checking the file
 *       and sending the events through the real ingest server (POST /v1/events batches,
 *       validated again, published with acks=all on a real broker): rows/s from start to exit;
 *   (c) POST /v1/import with the whole file (ingest's body limit raised for it): rows/s from
 *       request to the 202 after Kafka's acknowledgement.
 *
 *   pnpm bench:import [rows=100000] [runs=3]
 *
 * Target (the CSV import issue): at least 5,000 rows/s. Each figure is the median of `runs`.
 * Uses KAFKA_BROKERS if set, else the local broker (started if needed, shared with npm start).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { infrastructureConfig, loadConfig, Secret } from "@evoke/config";
import { DEFAULT_TIME_LIMITS } from "@evoke/events";
import { validateImport } from "@evoke/import";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";
import { startIngestServer } from "@evoke/ingest";
import { createKafkaClient, deleteTopics, ensureTopics } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const SECRET = "bench-secret-0123456789abcdef";
const TARGET = 5_000;
const MI = fileURLToPath(new URL("../cli/src/mi.ts", import.meta.url));

/** A clinic's sessions export: each session booked, then attended, missed or cancelled. */
function sessionsCsv(count: number): string {
  const lines = [
    "session_id,client_id,programme_id,therapist_id,status,scheduled_at,occurred_at,duration_minutes,cancelled_by,cancelled_at",
  ];
  const start = Date.parse("2025-01-06T09:00:00Z");
  for (let row = 0; lines.length <= count; row += 1) {
    const session = Math.floor(row / 2);
    const client = `cli_${session % 5_000}`;
    const at = new Date(start + session * 7 * 60_000).toISOString();
    const ids = `ses_${session},${client},prg_${session % 7},thr_${session % 40}`;
    if (row % 2 === 0) lines.push(`${ids},scheduled,${at},,,,`);
    else if (session % 10 < 7) lines.push(`${ids},attended,${at},${at},${30 + (session % 30)},,`);
    else if (session % 10 < 9) lines.push(`${ids},missed,${at},,,,`);
    else lines.push(`${ids},cancelled,${at},,,client,${at}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function line(label: string, rowsPerSecond: number[], detail: string): void {
  const rate = median(rowsPerSecond);
  console.log(
    `${label.padEnd(44)} ${Math.round(rate).toLocaleString("en").padStart(8)} rows/s  ${rate >= TARGET ? "meets" : "BELOW"} ${TARGET.toLocaleString("en")}/s  (${rowsPerSecond.map((value) => Math.round(value).toLocaleString("en")).join(", ")}; ${detail})`,
  );
}

const directory = await mkdtemp(join(tmpdir(), "evoke-bench-import-"));
const file = join(directory, "sessions.csv");
await writeFile(file, sessionsCsv(rows));
const bytes = await readFile(file);

const infrastructure = await provisionInfrastructure(loadConfig(infrastructureConfig), silentProgress);
const brokers = [...infrastructure.kafka.brokers];
const kafka = createKafkaClient({ brokers, clientId: "bench-import" });
const topic = `bench.import.${randomBytes(4).toString("hex")}`;
await ensureTopics(kafka, [{ name: topic, partitions: 6 }]);
const ingest = await startIngestServer(
  {
    // Raised so (c) can take the whole file in one upload; the default is 5 MiB.
    http: { port: 0, host: "127.0.0.1", maxBodyBytes: 64 * 1024 * 1024 },
    apiKeys: [{ name: "bench", secret: new Secret(SECRET) }],
    rateLimitPerSecond: 0,
    timeLimits: DEFAULT_TIME_LIMITS,
    kafka: { brokers, security: { tls: null, sasl: null } },
    logLevel: "silent",
  },
  // A sessions file holds no transcripts: one topic serves both routes.
  { logger: createLogger({ name: "ingest", level: "silent" }), topics: { intake: topic, transcripts: topic } },
);

async function topicSize(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

try {
  console.log(
    `${rows.toLocaleString("en")}-row sessions CSV (${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB), median of ${runs} runs, Kafka ${brokers.join(",")} (topic of 6 partitions); machine shared with other work`,
  );

  const validating: number[] = [];
  let events = 0;
  const perCpuSecond: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const began = performance.now();
    const cpu = process.cpuUsage();
    const { report } = await validateImport(createReadStream(file), "sessions");
    validating.push(report.rows / ((performance.now() - began) / 1_000));
    const used = process.cpuUsage(cpu);
    perCpuSecond.push(report.rows / ((used.user + used.system) / 1_000_000));
    if (report.rejectedRows > 0) throw new Error(`the generated file has ${report.rejectedRows} bad rows`);
    events = report.events;
  }
  line(
    "(a) read + validate (packages/import)",
    validating,
    `${events.toLocaleString("en")} events; ${Math.round(median(perCpuSecond)).toLocaleString("en")} rows per CPU-second`,
  );

  const command: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const before = await topicSize();
    const began = performance.now();
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        MI,
        "import",
        file,
        "--kind",
        "sessions",
        "--ingest",
        ingest.url,
        "--key",
        SECRET,
        "--restart",
      ],
      { env: { ...process.env, EVOKE_DATA_DIR: directory }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const [code] = await once(child, "exit");
    if (code !== 0) throw new Error(`pnpm mi import exited ${code}: ${stderr}`);
    command.push(rows / ((performance.now() - began) / 1_000));
    const published = (await topicSize()) - before;
    if (published !== events) throw new Error(`${published} events reached Kafka, expected ${events}`);
  }
  line("(b) pnpm mi import → ingest → Kafka ack", command, "process start to exit, tsx start-up included");

  const upload: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const before = await topicSize();
    const began = performance.now();
    const response = await fetch(`${ingest.url}/v1/import?kind=sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET}`, "content-type": "text/csv" },
      body: bytes,
    });
    if (response.status !== 202)
      throw new Error(`POST /v1/import answered ${response.status}: ${await response.text()}`);
    await response.json();
    upload.push(rows / ((performance.now() - began) / 1_000));
    const published = (await topicSize()) - before;
    if (published !== events) throw new Error(`${published} events reached Kafka, expected ${events}`);
  }
  line("(c) POST /v1/import → Kafka ack", upload, "request to 202");
} finally {
  await ingest.close();
  await deleteTopics(kafka, [topic]);
  await infrastructure.release();
  await rm(directory, { recursive: true, force: true });
}
