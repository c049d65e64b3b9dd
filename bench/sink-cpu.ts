/**
 * The aggregation sink's CPU cost per event, split between the sink's own JavaScript and
 * PostgreSQL, on the synthetic clinic of bench/aggregation.ts (enrolments, readiness, sessions,
 * 40-turn transcripts and their codings, discharges) pre-filled into Kafka topics:
 *   (a) decoding and validating every message in this process (fromKafkaMessage), alone (the
 *       least of three rounds);
 *   (b) the sink recording them all into a fresh migrated database: this process's CPU time
 *       (process.cpuUsage: the sink, its kafkajs consumer and postgres.js) and PostgreSQL's
 *       (the server's processes, read from /proc), each per 1,000 events.
 * CPU per event is the steadier figure on a shared machine (rates move with the neighbours);
 * the sum of both, per event, bounds what this machine's cores could carry.
 *
 *   pnpm bench:sink-cpu [clients=2000] [partitions-in-flight=the sink's default] [profile-file] [mix=all|small]
 *
 * `small` leaves out transcripts and their codings: the mix of bench/pipeline's small events.
 *
 * With a profile file (e.g. sink.cpuprofile), the sink's run is sampled by V8's profiler and
 * written there (open it in Chrome DevTools or speedscope); sampling adds some CPU of its own.
 * Uses KAFKA_BROKERS/DATABASE_URL if set, else the local broker and embedded PostgreSQL (PostgreSQL's
 * CPU is read only when its processes are on this machine).
 *
 * BENCH_SINK_STATEMENTS=1 runs the sink against a PostgreSQL of its own, started with
 * pg_stat_statements preloaded, and prints PostgreSQL's time by statement for the sink's run.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startSink } from "@evoke/aggregation";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { connectDatabase, dropDatabase, ensureDatabase, migrateDatabase, withDatabase } from "@evoke/db";
import { fromKafkaMessage, intakeTopicFor, toKafkaMessage } from "@evoke/events";
import { provisionInfrastructure, silentProgress, startEmbeddedPostgres, stopEmbeddedPostgres } from "@evoke/infra";
import { createKafkaClient, createProducer, deleteTopics, ensureTopics } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { freePort } from "../test/support/ports.ts";
import { STATEMENT_PROFILE_SETTINGS, statementProfile } from "./support/statement-profile.ts";
import { syntheticClinic } from "./support/synthetic-clinic.ts";

const clientCount = Number(process.argv[2] ?? 2_000);
/** Partitions in flight; by default the sink's own (its batches share transactions either way). */
const concurrency = process.argv[3] === undefined || process.argv[3] === "" ? undefined : Number(process.argv[3]);
const profileFile = process.argv[4] || undefined;
const mix = process.argv[5] ?? "all";
if (mix !== "all" && mix !== "small") throw new Error(`mix must be all or small, not ${mix}`);
const PARTITIONS = 6;
/** Clock ticks per second of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

// ---- PostgreSQL's CPU, from /proc -----------------------------------------------------------------

/** The parent and user+system ticks of a process, or undefined if it is gone. */
function stat(pid: number): { parent: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name, in parentheses, may hold spaces: the fields start after its last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/**
 * Ticks of the postmaster and every process it forked (backends, checkpointer, WAL writer...).
 * A backend that exits between two readings loses its ticks; the sink's pool keeps its
 * connections for the whole run, so none of the ones that matter does.
 */
function postgresTicks(postmaster: number): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const times = stat(pid);
    if (times !== undefined && (pid === postmaster || times.parent === postmaster)) ticks.set(pid, times.ticks);
  }
  return ticks;
}

function ticksBetween(start: Map<number, number>, end: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ticks] of end) sum += ticks - (start.get(pid) ?? 0);
  return sum;
}

// ---- the run ---------------------------------------------------------------------------------------

const perThousand = (ms: number, events: number) => ((ms / events) * 1000).toFixed(1).padStart(7);

const config = loadConfig(infrastructureConfig);
const infrastructure = await provisionInfrastructure(config, silentProgress);
const kafka = createKafkaClient({ brokers: infrastructure.kafka.brokers, clientId: "bench-sink-cpu" });
const suffix = randomBytes(4).toString("hex");
const topics = {
  intake: `bench.intake.${suffix}`,
  transcripts: `bench.transcripts.${suffix}`,
  coded: `bench.coded.${suffix}`,
  deadLetter: `bench.dlq.${suffix}`,
};
/** BENCH_SINK_STATEMENTS=1: a PostgreSQL of the run's own, with pg_stat_statements preloaded. */
const profiledPostgres =
  process.env.BENCH_SINK_STATEMENTS === "1"
    ? { dir: mkdtempSync(join(tmpdir(), "evoke-sink-cpu-")), port: await freePort(), progress: silentProgress }
    : undefined;
let postgresUrl = infrastructure.postgres.url;
if (profiledPostgres !== undefined) {
  chmodSync(profiledPostgres.dir, 0o755); // as root, PostgreSQL runs as postgres and must enter it
  postgresUrl = (await startEmbeddedPostgres({ ...profiledPostgres, settings: STATEMENT_PROFILE_SETTINGS })).url;
}
const databaseUrl = withDatabase(postgresUrl, `evoke_bench_sink_cpu_${suffix}`);

try {
  const events = syntheticClinic(clientCount).filter(
    (event) => mix === "all" || (event.type !== "evoke.transcript.submitted" && event.type !== "evoke.session.coded"),
  );
  const messages = events.map((event) => ({ event, message: toKafkaMessage(event) }));
  const utterances = events.reduce(
    (sum, event) => sum + ("utterances" in event.data ? event.data.utterances.length : 0),
    0,
  );
  console.log(
    `${events.length.toLocaleString("en")} events for ${clientCount.toLocaleString("en")} clients ` +
      `(${utterances.toLocaleString("en")} utterances in transcripts and codings); ` +
      `load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(" ")} on ${cpus().length} cores`,
  );

  // (a) decoding and validation alone, as the sink does it, on the same messages: after a warm-up,
  // the least of three rounds (the others' work on a shared machine only ever adds to it).
  const decoded = messages.map(({ message }) => ({ ...message, value: Buffer.from(message.value as string) }));
  for (const message of decoded.slice(0, 2_000)) fromKafkaMessage(message);
  let decodeMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round += 1) {
    const decodeCpu = process.cpuUsage();
    for (const message of decoded) {
      if (!fromKafkaMessage(message).ok) throw new Error("a generated event did not validate");
    }
    const decodeUsage = process.cpuUsage(decodeCpu);
    decodeMs = Math.min(decodeMs, (decodeUsage.user + decodeUsage.system) / 1000);
  }

  await ensureTopics(kafka, [
    { name: topics.intake, partitions: PARTITIONS },
    { name: topics.transcripts, partitions: PARTITIONS },
    { name: topics.coded, partitions: PARTITIONS },
    { name: topics.deadLetter, partitions: 1 },
  ]);
  const producer = createProducer(kafka);
  await producer.connect();
  const byTopic = new Map<string, (typeof messages)[number]["message"][]>();
  for (const { event, message } of messages) {
    const topic = event.type === "evoke.session.coded" ? topics.coded : intakeTopicFor(event.type, topics);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
  }
  for (const [topic, list] of byTopic) {
    for (let i = 0; i < list.length; i += 200)
      await producer.send({ topic, acks: -1, messages: list.slice(i, i + 200) });
  }
  await producer.disconnect();

  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  const database = connectDatabase(databaseUrl, { max: 4, applicationName: "bench-sink-cpu" });
  const [backend] = await database.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const postmaster = backend === undefined ? undefined : stat(backend.pid)?.parent;
  const local = postmaster !== undefined && postmaster > 1;

  const profiler = profileFile === undefined ? undefined : new Session();
  if (profiler !== undefined) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  const statements = profiledPostgres === undefined ? undefined : await statementProfile(databaseUrl);
  await statements?.reset();
  const pgStart = local ? postgresTicks(postmaster) : new Map<number, number>();
  const started = performance.now();
  const sinkCpu = process.cpuUsage();
  const sink = await startSink({
    kafka,
    db: database.db,
    topics: { sources: [topics.intake, topics.transcripts, topics.coded], deadLetter: topics.deadLetter },
    logger: createLogger({ name: "aggregation", level: "silent" }),
    groupId: `bench-sink-cpu-${suffix}`,
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  while (sink.stats.applied + sink.stats.duplicates + sink.stats.deadLettered < events.length) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsed = performance.now() - started;
  const usage = process.cpuUsage(sinkCpu);
  const pgEnd = local ? postgresTicks(postmaster) : new Map<number, number>();
  if (profiler !== undefined && profileFile !== undefined) {
    const { profile } = await profiler.post("Profiler.stop");
    writeFileSync(profileFile, JSON.stringify(profile));
    profiler.disconnect();
  }
  await sink.stop();
  await database.close();

  const sinkMs = (usage.user + usage.system) / 1000;
  const pgMs = (ticksBetween(pgStart, pgEnd) * 1000) / TICKS_PER_SECOND;
  const n = events.length;
  console.log(
    `sink: ${Math.round((n / elapsed) * 1000).toLocaleString("en")} events/s, ${sink.stats.transactions} transactions ` +
      `(${(n / sink.stats.transactions).toFixed(0)} events each), ${sink.stats.deadLettered} dead letters, ` +
      `${concurrency ?? "the default"} partitions in flight${profileFile === undefined ? "" : ", profiled"}`,
  );
  console.log("CPU ms per 1,000 events");
  console.log(`  (a) decode + validate alone  ${perThousand(decodeMs, n)}`);
  console.log(
    `  (b) sink process             ${perThousand(sinkMs, n)}  (user ${perThousand(usage.user / 1000, n).trim()}, system ${perThousand(usage.system / 1000, n).trim()})`,
  );
  if (local) {
    const both = sinkMs + pgMs;
    console.log(`      PostgreSQL               ${perThousand(pgMs, n)}`);
    console.log(`      sink + PostgreSQL        ${perThousand(both, n)}`);
    console.log(
      `at that cost ${cpus().length} cores carry at most ${Math.round((n / both) * 1000 * cpus().length).toLocaleString("en")} events/s`,
    );
  } else {
    console.log("      PostgreSQL: not on this machine, not measured");
  }
  if (profileFile !== undefined) console.log(`profile written to ${profileFile}`);
  for (const line of (await statements?.report(20)) ?? []) console.log(`  ${line}`);
  await statements?.close();
} finally {
  await deleteTopics(kafka, Object.values(topics)).catch(() => undefined);
  await dropDatabase(databaseUrl).catch(() => undefined);
  await infrastructure.release();
  if (profiledPostgres !== undefined) {
    await stopEmbeddedPostgres(profiledPostgres).catch(() => undefined);
    rmSync(profiledPostgres.dir, { recursive: true, force: true });
  }
}
