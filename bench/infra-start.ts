/**
 * How long the local infrastructure takes to come up and go down: the Kafka broker (launch to
 * answering DescribeCluster) and the embedded PostgreSQL (launch to answering `select 1`; the
 * first run also initialises its data directory). Runs in a throwaway data directory on free
 * ports, so it never touches a running `npm start`.
 *
 *   pnpm bench:infra [runs=3]
 */

import { once } from "node:events";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBrokerJars, silentProgress, startEmbeddedPostgres, startLocalBroker } from "@evoke/infra";

const runs = Number(process.argv[2] ?? 3);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const began = performance.now();
  const result = await work();
  return [result, performance.now() - began];
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `${label.padEnd(44)} median ${(median / 1000).toFixed(2)} s   runs: ${samples.map((ms) => (ms / 1000).toFixed(2)).join(", ")}`;
}

const dir = await mkdtemp(join(tmpdir(), "evoke-bench-"));
await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres user and must enter it
try {
  const jars = await ensureBrokerJars();
  console.log(
    `Apache Kafka ${jars.kafkaVersion}: ${(jars.totalBytes / 1024 / 1024).toFixed(1)} MB of broker jars (${jars.fetched ? "fetched now" : "already present"})`,
  );

  const brokerStart: number[] = [];
  const brokerStop: number[] = [];
  const brokerOptions = { dir: join(dir, "kafka"), port: await freePort(), controllerPort: await freePort() };
  for (let run = 0; run < runs; run += 1) {
    const [broker, startMs] = await timed(() => startLocalBroker(brokerOptions));
    const [, stopMs] = await timed(() => broker.lease.release());
    brokerStart.push(startMs);
    brokerStop.push(stopMs);
  }

  const postgresStart: number[] = [];
  const postgresStop: number[] = [];
  const postgresOptions = { dir: join(dir, "postgres"), port: await freePort(), progress: silentProgress };
  for (let run = 0; run < runs + 1; run += 1) {
    const [server, startMs] = await timed(() => startEmbeddedPostgres(postgresOptions));
    const [, stopMs] = await timed(() => server.lease.release());
    postgresStart.push(startMs);
    postgresStop.push(stopMs);
  }

  console.log(summary("Kafka broker start (format + launch + ready)", brokerStart));
  console.log(summary("Kafka broker stop (controlled shutdown)", brokerStop));
  console.log(summary("PostgreSQL first start (initdb + launch)", postgresStart.slice(0, 1)));
  console.log(summary("PostgreSQL start (existing data)", postgresStart.slice(1)));
  console.log(summary("PostgreSQL stop (fast shutdown)", postgresStop));
} finally {
  await rm(dir, { recursive: true, force: true });
}
