import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describeCluster } from "@evoke/kafka";
import { InfraError, reason } from "../errors.ts";
import { acquireServer, forceStopServer, type Lease, type ManagedServer, runningServer } from "../lease.ts";
import { KAFKA_HOME } from "../paths.ts";
import { assertPortFree } from "../ports.ts";
import { isProcessRunning, stopProcess } from "../processes.ts";
import { waitUntilServing } from "../readiness.ts";
import { ensureBrokerJars } from "./jars.ts";
import { checkJava, javaBinary } from "./java.ts";

const execFileAsync = promisify(execFile);

export interface LocalBrokerOptions {
  /** Holds data/, logs/, server.properties and the state file. */
  readonly dir: string;
  readonly port: number;
  readonly controllerPort: number;
  /** The JDK to run the broker with; `java` on the PATH when undefined. */
  readonly javaHome?: string | undefined;
  /** How long to wait for the broker to answer after launching it. Default 120 s. */
  readonly readyTimeoutMs?: number;
}

export interface BrokerDetails {
  readonly port: number;
  readonly controllerPort: number;
  readonly kafkaVersion: string;
  /** How long the last start took, launch to ready (not counting the jar download). */
  readonly startMs: number;
  /** Bytes of broker jars fetched from Maven Central by this start; 0 when already present. */
  readonly fetchedBytes: number;
}

export interface LocalBroker {
  /** Bootstrap address for clients, e.g. ["127.0.0.1:9092"]. */
  readonly brokers: readonly string[];
  readonly lease: Lease<BrokerDetails>;
}

const MAIN_CLASS = "kafka.Kafka";
const HEAP = ["-Xms256m", "-Xmx512m"];

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding (22 characters). Like Kafka's
 * own Uuid.randomUuid, it never starts with "-": kafka-storage would read such an id as an
 * option ("argument --cluster-id/-t: expected one argument"), one fresh start in 64.
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/** The single-node combined (broker + controller) configuration. */
export function serverProperties(options: { port: number; controllerPort: number; dataDir: string }): string {
  const { port, controllerPort, dataDir } = options;
  return [
    "# Written by Evoke at every start; edit infra/src/kafka/broker.ts instead.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    `log.dirs=${dataDir}`,
    "num.partitions=1",
    // One broker: internal topics must not ask for three replicas, or group and transaction
    // coordinators never become available.
    "offsets.topic.replication.factor=1",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    // Every topic is created explicitly (see @evoke/kafka ensureTopics); a typo must fail.
    "auto.create.topics.enable=false",
    "",
  ].join("\n");
}

function brokerServer(options: LocalBrokerOptions): ManagedServer<BrokerDetails> {
  const dataDir = join(options.dir, "data");
  const logsDir = join(options.dir, "logs");
  const address = `127.0.0.1:${options.port}`;
  const propertiesFile = join(options.dir, "server.properties");

  return {
    label: "Kafka broker",
    stateFile: join(options.dir, "broker.json"),
    // Our broker's command line names this directory's server.properties; a recycled pid won't.
    isOurs: (state) => isProcessRunning(state.pid, propertiesFile),
    sameAs: (details) => details.port === options.port && details.controllerPort === options.controllerPort,
    isHealthy: async () => {
      try {
        await describeCluster([address], { timeoutMs: 3_000 });
        return true;
      } catch {
        return false;
      }
    },
    start: async () => {
      await assertPortFree(
        options.port,
        "KAFKA_PORT",
        `Or, to use a Kafka broker already listening there: KAFKA_BROKERS=${address} npm start.`,
      );
      await assertPortFree(options.controllerPort, "KAFKA_CONTROLLER_PORT", "Any free port will do.");
      const java = javaBinary(options.javaHome);
      await checkJava(java);
      const jars = await ensureBrokerJars();
      await mkdir(dataDir, { recursive: true });
      await mkdir(logsDir, { recursive: true });

      await writeFile(propertiesFile, serverProperties({ ...options, dataDir }));
      const classpath = `${jars.libDir}/*`;
      await formatStorage({ java, classpath, propertiesFile, clusterIdFile: join(options.dir, "cluster-id") });

      const began = Date.now();
      const output = openSync(join(logsDir, "broker.out"), "a");
      const child = spawn(
        java,
        [
          ...HEAP,
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-Djava.awt.headless=true",
          `-Dkafka.logs.dir=${logsDir}`,
          `-Dlog4j2.configurationFile=${join(KAFKA_HOME, "log4j2.properties")}`,
          "-cp",
          classpath,
          MAIN_CLASS,
          propertiesFile,
        ],
        // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which then
        // stops the services before the broker they write to.
        { detached: true, stdio: ["ignore", output, output] },
      );
      closeSync(output);
      child.unref();
      const pid = child.pid;
      if (pid === undefined)
        throw new InfraError("The Kafka broker could not be launched.", `Check that ${java} runs.`);

      await waitUntilServing({
        pid,
        label: "The Kafka broker",
        probe: () => describeCluster([address], { timeoutMs: 2_000 }),
        timeoutMs: options.readyTimeoutMs ?? 120_000,
        intervalMs: 200,
        // JVM failures (bad flags, wrong Java) land in broker.out, the broker's own in server.log.
        logFiles: [join(logsDir, "broker.out"), join(logsDir, "server.log")],
      });
      return {
        pid,
        details: {
          port: options.port,
          controllerPort: options.controllerPort,
          kafkaVersion: jars.kafkaVersion,
          startMs: Date.now() - began,
          fetchedBytes: jars.fetched ? jars.totalBytes : 0,
        },
      };
    },
    // Controlled shutdown takes a few seconds; SIGKILL only if it hangs.
    stop: (state) =>
      stopProcess(state.pid, {
        signals: [
          { signal: "SIGTERM", waitMs: 30_000 },
          { signal: "SIGKILL", waitMs: 5_000 },
        ],
      }),
    // Kafka's data-dir lock is an OS file lock, released when the process died: nothing to do.
    cleanStale: async () => undefined,
  };
}

async function formatStorage(options: {
  java: string;
  classpath: string;
  propertiesFile: string;
  clusterIdFile: string;
}): Promise<void> {
  let clusterId = (await readFile(options.clusterIdFile, "utf8").catch(() => "")).trim();
  if (clusterId === "") {
    clusterId = newClusterId();
    await writeFile(options.clusterIdFile, `${clusterId}\n`);
  }
  try {
    // -g: a directory formatted by an earlier start is left as it is.
    await execFileAsync(options.java, [
      "-cp",
      options.classpath,
      "kafka.tools.StorageTool",
      "format",
      "-g",
      // One argument with "=": an id saved by an older start may begin with "-".
      `--cluster-id=${clusterId}`,
      "-c",
      options.propertiesFile,
    ]);
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new InfraError(
      `Formatting the Kafka broker's storage failed: ${(failure.stderr || failure.stdout || reason(error)).trim().split("\n").at(-1)}`,
      `If the data directory is from another Kafka version or cluster, delete ${options.propertiesFile.replace(/server\.properties$/, "data")} and start again (its topics will be lost).`,
      { cause: error },
    );
  }
}

/** Starts the local broker, or joins the one already running from the same directory. */
export async function startLocalBroker(options: LocalBrokerOptions): Promise<LocalBroker> {
  const lease = await acquireServer(brokerServer(options));
  return { brokers: [`127.0.0.1:${options.port}`], lease };
}

export function stopLocalBroker(options: LocalBrokerOptions): Promise<boolean> {
  return forceStopServer(brokerServer(options));
}

export function localBrokerStatus(options: LocalBrokerOptions) {
  return runningServer(brokerServer(options));
}
