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
import { type BrokerTlsMaterial, ensureBrokerTlsMaterial } from "./tls-material.ts";

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
  /** A SASL_SSL listener beside the plain one, with users and ACL checks (tests use it). */
  readonly secured?: SecuredListenerOptions | undefined;
}

export type BrokerSaslMechanism = "SCRAM-SHA-512" | "PLAIN";

/**
 * The secured listener: TLS with a certificate from a CA made at first start, SASL users, and
 * the StandardAuthorizer, so a user may do only what an ACL grants (super users: everything).
 * The plain listener and the controller stay as they are, on 127.0.0.1: their connections are
 * the broker's own principal (User:ANONYMOUS), a super user, as the broker talks to its own
 * controller there. Users are created when storage is first formatted, so a directory keeps
 * the users it was made with.
 */
export interface SecuredListenerOptions {
  readonly port: number;
  readonly users: readonly { readonly name: string; readonly password: string }[];
  /** Users allowed everything (e.g. the admin that creates topics and ACLs). */
  readonly superUsers: readonly string[];
  /** Default SCRAM-SHA-512 only. */
  readonly mechanisms?: readonly BrokerSaslMechanism[];
  /**
   * mTLS: clients must also present a certificate signed by the listener's CA (see
   * issueClientCertificate). Default false.
   */
  readonly requireClientCertificate?: boolean;
}

export interface BrokerDetails {
  readonly port: number;
  readonly controllerPort: number;
  readonly kafkaVersion: string;
  /** How long the last start took, launch to ready (not counting the jar download). */
  readonly startMs: number;
  /** Bytes of broker jars fetched from Maven Central by this start; 0 when already present. */
  readonly fetchedBytes: number;
  /** The SASL_SSL listener's port, when the broker has one. */
  readonly securedPort?: number | undefined;
}

export interface LocalBroker {
  /** Bootstrap address for clients, e.g. ["127.0.0.1:9092"]. */
  readonly brokers: readonly string[];
  readonly lease: Lease<BrokerDetails>;
  /** The SASL_SSL listener's address and the CA file its certificate chains to, when asked for. */
  readonly secured?: { readonly brokers: readonly string[]; readonly caFile: string };
}

const MAIN_CLASS = "kafka.Kafka";

/*
 * The JVM of the local broker (development, tests, benchmarks), sized for a machine of two cores
 * that the broker shares with every service, PostgreSQL and the tests. G1 runs concurrent and
 * parallel GC threads, and C2 keeps recompiling hot paths for minutes after a start: on two
 * cores both took CPU from the pipeline (bench:pipeline, issue 14). The serial collector and
 * the C1 compiler only cost the broker far less CPU per event here (docs/scaling.md). The price:
 * each collection stops the broker (short on a 512 MB heap, but longer than G1's pauses), and
 * C1's code is slower at its peak than C2's, which a broker with cores to spare would want. A
 * broker on a machine of its own (docker-compose, Kubernetes) keeps Kafka's defaults.
 */
const JVM_OPTIONS = ["-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"];

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

const SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule required;";

/** The lines that add the SASL_SSL listener, its users' login modules and the authorizer. */
function securedProperties(secured: SecuredListenerOptions, tls: BrokerTlsMaterial): string[] {
  const mechanisms = secured.mechanisms ?? ["SCRAM-SHA-512"];
  // PLAIN checks passwords against this list (SCRAM's live in the cluster metadata).
  const plainUsers = secured.users.map((user) => `user_${user.name}="${user.password}"`).join(" ");
  return [
    `sasl.enabled.mechanisms=${mechanisms.join(",")}`,
    `listener.name.sasl_ssl.sasl.enabled.mechanisms=${mechanisms.join(",")}`,
    ...(mechanisms.includes("SCRAM-SHA-512")
      ? [`listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${SCRAM_LOGIN}`]
      : []),
    ...(mechanisms.includes("PLAIN")
      ? [
          `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
        ]
      : []),
    "listener.name.sasl_ssl.ssl.keystore.type=PKCS12",
    `listener.name.sasl_ssl.ssl.keystore.location=${tls.keystoreFile}`,
    `listener.name.sasl_ssl.ssl.keystore.password=${tls.keystorePassword}`,
    `listener.name.sasl_ssl.ssl.key.password=${tls.keystorePassword}`,
    ...(secured.requireClientCertificate === true
      ? [
          "listener.name.sasl_ssl.ssl.client.auth=required",
          // Kafka reads a PEM truststore as it is: the CA that signs the client certificates.
          "listener.name.sasl_ssl.ssl.truststore.type=PEM",
          `listener.name.sasl_ssl.ssl.truststore.location=${tls.caFile}`,
        ]
      : []),
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    `super.users=${["ANONYMOUS", ...secured.superUsers].map((name) => `User:${name}`).join(";")}`,
    // What no ACL mentions is denied (Kafka's default, written down because it is the point).
    "allow.everyone.if.no.acl.found=false",
  ];
}

/** The single-node combined (broker + controller) configuration. */
export function serverProperties(options: {
  port: number;
  controllerPort: number;
  dataDir: string;
  secured?: { options: SecuredListenerOptions; tls: BrokerTlsMaterial } | undefined;
}): string {
  const { port, controllerPort, dataDir, secured } = options;
  const securedListener = secured === undefined ? "" : `,SASL_SSL://127.0.0.1:${secured.options.port}`;
  return [
    "# Written by Evoke at every start; edit infra/src/kafka/broker.ts instead.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port}${securedListener},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}${securedListener}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${secured === undefined ? "" : ",SASL_SSL:SASL_SSL"}`,
    ...(secured === undefined ? [] : securedProperties(secured.options, secured.tls)),
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
    // Kafka's defaults (3 network, 8 I/O threads) are for a machine of its own. Here one network
    // thread serves every local client and two I/O threads keep a slow append (an fsync, a
    // transaction marker) from blocking the others: fewer threads wake, switch and contend on
    // two shared cores. The price is less parallelism under many clients, which a local
    // broker does not have.
    "num.network.threads=1",
    "num.io.threads=2",
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
    sameAs: (details) =>
      details.port === options.port &&
      details.controllerPort === options.controllerPort &&
      details.securedPort === options.secured?.port,
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
      if (options.secured !== undefined)
        await assertPortFree(options.secured.port, "the secured listener's port", "Any free port will do.");
      const java = javaBinary(options.javaHome);
      await checkJava(java);
      const jars = await ensureBrokerJars();
      await mkdir(dataDir, { recursive: true });
      await mkdir(logsDir, { recursive: true });

      const secured =
        options.secured === undefined
          ? undefined
          : { options: options.secured, tls: await ensureBrokerTlsMaterial(join(options.dir, "tls")) };
      await writeFile(propertiesFile, serverProperties({ ...options, dataDir, secured }), { mode: 0o600 });
      const classpath = `${jars.libDir}/*`;
      await formatStorage({
        java,
        classpath,
        propertiesFile,
        clusterIdFile: join(options.dir, "cluster-id"),
        scramUsers: options.secured?.users ?? [],
      });

      const began = Date.now();
      const output = openSync(join(logsDir, "broker.out"), "a");
      const child = spawn(
        java,
        [
          ...JVM_OPTIONS,
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
          securedPort: options.secured?.port,
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
  /** SCRAM-SHA-512 credentials written into the metadata log at format (a first start only). */
  scramUsers: readonly { readonly name: string; readonly password: string }[];
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
      ...options.scramUsers.flatMap((user) => [
        "--add-scram",
        `SCRAM-SHA-512=[name=${user.name},password=${user.password}]`,
      ]),
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
  const secured =
    options.secured === undefined
      ? undefined
      : { brokers: [`127.0.0.1:${options.secured.port}`], caFile: join(options.dir, "tls", "ca.pem") };
  return { brokers: [`127.0.0.1:${options.port}`], lease, ...(secured === undefined ? {} : { secured }) };
}

export function stopLocalBroker(options: LocalBrokerOptions): Promise<boolean> {
  return forceStopServer(brokerServer(options));
}

export function localBrokerStatus(options: LocalBrokerOptions) {
  return runningServer(brokerServer(options));
}
