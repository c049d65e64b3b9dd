import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { ingestConfig, loadConfig, Secret } from "@evoke/config";
import { exampleEvent, TOPICS } from "@evoke/events";
import {
  type ClientCertificate,
  ensureBrokerTlsMaterial,
  issueClientCertificate,
  type LocalBroker,
  REPO_ROOT,
  serviceAccess,
  startLocalBroker,
} from "@evoke/infra";
import { startIngestServer } from "@evoke/ingest";
import {
  createKafkaClient,
  createProducer,
  createTransactionalProducer,
  describeCluster,
  ensureTopics,
  explainKafkaError,
  grantAccess,
  inTransaction,
  type Kafka,
  KafkaAccessError,
  type KafkaSecurity,
  startConsumer,
} from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evokeEnv, freePort, isolatedInfrastructure, runMiCli } from "../support/cli.ts";

/*
 * A broker of its own, with a SASL_SSL listener (certificate from a CA made at start, SCRAM
 * users made at format, the StandardAuthorizer): the shared test broker has a plain listener
 * only. Every refusal must come back as one line saying which (certificate, password,
 * mechanism, ACL), quickly, not as a stack trace or a hang.
 */

const password = () => randomBytes(12).toString("hex");
const USERS = {
  admin: password(),
  "evoke-ingest": password(),
  "evoke-coding": password(),
  "evoke-aggregation": password(),
  "evoke-dashboard": password(),
  "evoke-stranger": password(),
} as const;
type User = keyof typeof USERS;

describe("Kafka over SASL_SSL with ACLs, against a real broker", () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  let broker: LocalBroker | undefined;
  let address: string[];
  let caFile: string;
  let clientCertificate: ClientCertificate;
  const clients: Kafka[] = [];

  const securityAs = (
    user: User,
    overrides: { password?: string; caFile?: string; mechanism?: "plain"; withoutCertificate?: boolean } = {},
  ) =>
    ({
      tls: {
        caFile: overrides.caFile ?? caFile,
        ...(overrides.withoutCertificate === true ? {} : clientCertificate),
      },
      sasl: {
        mechanism: overrides.mechanism ?? "scram-sha-512",
        username: user,
        password: new Secret(overrides.password ?? USERS[user]),
      },
    }) satisfies KafkaSecurity;

  const clientAs = (user: User, overrides: Parameters<typeof securityAs>[1] = {}) => {
    const kafka = createKafkaClient({
      brokers: address,
      clientId: `sasl-test-${user}`,
      security: securityAs(user, overrides),
    });
    clients.push(kafka);
    return kafka;
  };

  /** What starting a consumer of the intake as `user` in `groupId` throws (undefined: it started). */
  const consumeIntakeFailure = (user: User, groupId: string): Promise<unknown> =>
    startConsumer(clientAs(user), {
      groupId,
      topics: [TOPICS.intake],
      joinTimeoutMs: 20_000,
      eachMessage: async () => undefined,
    }).then(
      async (running) => {
        await running.stop();
        return undefined;
      },
      (error: unknown) => error,
    );

  beforeAll(async () => {
    sandbox = await isolatedInfrastructure();
    broker = await startLocalBroker({
      dir: join(sandbox.dataDir, "kafka"),
      port: await freePort(),
      controllerPort: await freePort(),
      secured: {
        port: await freePort(),
        users: Object.entries(USERS).map(([name, secret]) => ({ name, password: secret })),
        superUsers: ["admin"],
        // mTLS too: every client below presents a certificate the broker's CA signed.
        requireClientCertificate: true,
      },
    });
    if (broker.secured === undefined) throw new Error("the broker was started without its SASL_SSL listener");
    address = [...broker.secured.brokers];
    caFile = broker.secured.caFile;
    clientCertificate = await issueClientCertificate(join(sandbox.dataDir, "kafka", "tls"), "evoke-tests");
    const admin = clientAs("admin");
    await ensureTopics(admin, [
      { name: TOPICS.intake, partitions: 2 },
      { name: TOPICS.transcripts, partitions: 2 },
    ]);
    await grantAccess(admin, [
      ...serviceAccess({
        ingest: "evoke-ingest",
        coding: "evoke-coding",
        aggregation: "evoke-aggregation",
        dashboard: "evoke-dashboard",
      }),
      // A group of its own but no topic: what it is refused is the topic.
      { user: "evoke-stranger", groups: ["stranger"] },
    ]);
  }, 180_000);

  afterAll(async () => {
    await broker?.lease.release();
    await sandbox?.remove();
  });

  it("carries messages over TLS from the ingest user to the aggregation user's group", async () => {
    const producer = createProducer(clientAs("evoke-ingest"));
    await producer.connect();
    const values = ["one", "two", "three"];
    try {
      await producer.send({
        topic: TOPICS.intake,
        messages: values.map((value, n) => ({ key: `cli_${n}`, value })),
      });
    } finally {
      await producer.disconnect();
    }

    const received: string[] = [];
    let allIn: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allIn = resolve;
    });
    const consumer = await startConsumer(clientAs("evoke-aggregation"), {
      groupId: "aggregation",
      topics: [TOPICS.intake],
      eachMessage: async ({ message }) => {
        received.push(String(message.value));
        if (received.length >= values.length) allIn();
      },
    });
    try {
      await Promise.race([
        done,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`received ${received.length}`)), 30_000)),
      ]);
    } finally {
      await consumer.stop();
    }
    expect(received.sort()).toEqual([...values].sort());
  });

  it("refuses a wrong password with one line naming it, at once", async () => {
    const began = Date.now();
    const admin = clientAs("evoke-ingest", { password: "not-the-password" }).admin();
    const failure = await admin.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KafkaAccessError);
    expect((failure as KafkaAccessError).problem).toBe("wrong-credentials");
    expect((failure as Error).message).toBe(
      `Kafka at ${address[0]} refused SASL SCRAM-SHA-512 for user "evoke-ingest": wrong user or password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD).`,
    );
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it("refuses a broker whose certificate another CA signed, with one line naming the certificate", async () => {
    const otherCa = await ensureBrokerTlsMaterial(join(sandbox.dataDir, "other-ca"));
    const began = Date.now();
    const failure = await describeCluster(address, { security: securityAs("admin", { caFile: otherCa.caFile }) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KafkaAccessError);
    expect((failure as KafkaAccessError).problem).toBe("certificate-not-trusted");
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^Kafka TLS handshake with ${address[0]} failed: certificate not trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\\); KAFKA_SSL_CA_FILE must hold the CA that signed the broker's certificate\\.$`,
      ),
    );
    expect(Date.now() - began).toBeLessThan(10_000);

    // A client with kafkajs's default retries gives up with the same line, not a hang.
    const admin = clientAs("admin", { caFile: otherCa.caFile }).admin();
    await expect(admin.connect()).rejects.toThrow(/certificate not trusted/);
  }, 60_000);

  it("refuses a client without a certificate where the listener requires mTLS, with one line naming it", async () => {
    const admin = clientAs("admin", { withoutCertificate: true }).admin();
    const failure = await admin.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KafkaAccessError);
    expect((failure as KafkaAccessError).problem).toBe("client-certificate-refused");
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^Kafka TLS handshake with ${address[0]} refused by the broker \\(ERR_SSL_[A-Z0-9_]+\\): it requires a client certificate signed by a CA it trusts \\(KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE\\)\\.$`,
      ),
    );
  }, 60_000);

  it("refuses a mechanism the listener does not enable, with one line naming it", async () => {
    const admin = clientAs("evoke-ingest", { mechanism: "plain" }).admin();
    await expect(admin.connect()).rejects.toThrow(
      `Kafka at ${address[0]} refused SASL PLAIN: mechanism not enabled on the broker's listener (KAFKA_SASL_MECHANISM).`,
    );
  });

  it("denies a user without an ACL reading evoke.intake.v1, with one line naming the ACL", async () => {
    const failure = await consumeIntakeFailure("evoke-stranger", "stranger");
    expect(failure).toBeInstanceOf(KafkaAccessError);
    expect((failure as Error).message).toBe(
      `Kafka at ${address[0]} denied user "evoke-stranger" access to a topic (TOPIC_AUTHORIZATION_FAILED): no ACL allows it; grant one to User:evoke-stranger.`,
    );
  }, 40_000);

  it("keeps each service user to its own groups: ingest may not join the aggregation group", async () => {
    const failure = await consumeIntakeFailure("evoke-ingest", "aggregation");
    expect(failure).toBeInstanceOf(KafkaAccessError);
    expect((failure as Error).message).toBe(
      `Kafka at ${address[0]} denied user "evoke-ingest" access to a group (GROUP_AUTHORIZATION_FAILED): no ACL allows it; grant one to User:evoke-ingest.`,
    );
  }, 40_000);

  it("lets the coding user consume transcripts and produce codings in a transaction with its offsets", async () => {
    const admin = clientAs("admin");
    await ensureTopics(admin, [{ name: TOPICS.coded }, { name: TOPICS.deadLetter }]);
    const ingest = createProducer(clientAs("evoke-ingest"));
    await ingest.connect();
    await ingest.send({ topic: TOPICS.transcripts, messages: [{ key: "cli_tx", value: "transcript" }] });
    await ingest.disconnect();

    const coding = clientAs("evoke-coding");
    // As services/coding names it: evoke-coding-<group>-<instance>.
    const producer = createTransactionalProducer(coding, "evoke-coding-coding-1");
    await producer.connect();
    let coded = 0;
    let sawOne: () => void = () => undefined;
    const first = new Promise<void>((resolve) => {
      sawOne = resolve;
    });
    const consumer = await startConsumer(coding, {
      groupId: "coding",
      topics: [TOPICS.transcripts],
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const last = batch.messages.at(-1);
        if (last === undefined) return;
        await inTransaction(producer, async (transaction) => {
          await transaction.send({
            topic: TOPICS.coded,
            messages: batch.messages.map((message) => ({ key: message.key, value: "coded" })),
          });
          await transaction.sendOffsets({
            consumerGroupId: "coding",
            topics: [
              {
                topic: batch.topic,
                partitions: [{ partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }],
              },
            ],
          });
        });
        coded += batch.messages.length;
        sawOne();
      },
    });
    try {
      await Promise.race([
        first,
        new Promise((_, reject) => setTimeout(() => reject(new Error("nothing coded")), 30_000)),
      ]);
    } finally {
      await consumer.stop();
      await producer.disconnect();
    }
    expect(coded).toBeGreaterThan(0);
    const offsets = await admin.admin();
    await offsets.connect();
    try {
      const [committed] = await offsets.fetchOffsets({ groupId: "coding", topics: [TOPICS.transcripts] });
      expect(committed?.partitions.some((partition) => Number(partition.offset) > 0)).toBe(true);
    } finally {
      await offsets.disconnect();
    }
  }, 60_000);

  it("stops the ingest service at start with one log line naming the untrusted certificate, no stack", async () => {
    const otherCa = await ensureBrokerTlsMaterial(join(sandbox.dataDir, "other-ca"));
    const child = spawn(process.execPath, ["--import", "tsx", "services/ingest/src/main.ts"], {
      cwd: REPO_ROOT,
      env: evokeEnv({
        KAFKA_BROKERS: address.join(","),
        KAFKA_SSL_CA_FILE: otherCa.caFile,
        KAFKA_SASL_USERNAME: "evoke-ingest",
        KAFKA_SASL_PASSWORD: USERS["evoke-ingest"],
        KAFKA_SSL_CERT_FILE: clientCertificate.certFile,
        KAFKA_SSL_KEY_FILE: clientCertificate.keyFile,
        INGEST_API_KEYS: "test:0123456789abcdef0123",
        INGEST_PORT: String(await freePort()),
        LOG_LEVEL: "fatal",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += String(chunk);
    });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    const lines = output.trim().split("\n");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}") as { msg?: string; error?: { message?: string } };
    expect(entry.msg).toBe("ingest could not start");
    expect(entry.error?.message).toMatch(/^Kafka TLS handshake with .* failed: certificate not trusted \(/);
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("stops `pnpm mi dlq list` with one line naming a wrong password, exit code 1", async () => {
    const run = runMiCli(["dlq", "list"], {
      KAFKA_BROKERS: address.join(","),
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SASL_USERNAME: "evoke-dashboard",
      KAFKA_SASL_PASSWORD: "not-the-password",
      KAFKA_SSL_CERT_FILE: clientCertificate.certFile,
      KAFKA_SSL_KEY_FILE: clientCertificate.keyFile,
    });
    const { code } = await run.exit;
    expect(code).toBe(1);
    expect(run.stderr().trim()).toBe(
      `Kafka at ${address[0]} refused SASL SCRAM-SHA-512 for user "evoke-dashboard": wrong user or password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD).`,
    );
  }, 60_000);

  it("runs the ingest service from its environment (KAFKA_SSL_*, KAFKA_SASL_*) and publishes over SASL_SSL", async () => {
    const config = loadConfig(ingestConfig, {
      KAFKA_BROKERS: address.join(","),
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SSL_CERT_FILE: clientCertificate.certFile,
      KAFKA_SSL_KEY_FILE: clientCertificate.keyFile,
      KAFKA_SASL_USERNAME: "evoke-ingest",
      KAFKA_SASL_PASSWORD: USERS["evoke-ingest"],
      INGEST_API_KEYS: "north:0123456789abcdef0123",
      INGEST_PORT: String(await freePort()),
    });
    const server = await startIngestServer(config, {
      logger: createLogger({ name: "ingest", level: "silent" }),
      topics: TOPICS,
    });
    try {
      const response = await fetch(`${server.url}/v1/events`, {
        method: "POST",
        headers: { authorization: "Bearer 0123456789abcdef0123", "content-type": "application/cloudevents+json" },
        body: JSON.stringify(exampleEvent("evoke.session.attended", { id: "evt_over_tls" })),
      });
      expect(response.status).toBe(202);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.close();
    }
    const admin = clientAs("admin").admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(TOPICS.intake);
      expect(ends.reduce((sum, partition) => sum + Number(partition.high), 0)).toBeGreaterThan(0);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it("gives the dashboard user what its pipeline page asks (group lag, dead letters) and not the intake", async () => {
    const admin = clientAs("evoke-dashboard").admin();
    await admin.connect();
    try {
      // What dashboard/src/pipeline/consumer-lag.ts asks: groups, their state and offsets.
      const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
      expect(groups).toEqual(expect.arrayContaining(["aggregation", "coding"]));
      expect(groups).not.toContain("stranger");
      const [committed] = await admin.fetchOffsets({ groupId: "aggregation", topics: [TOPICS.intake] });
      expect(committed?.partitions.length).toBeGreaterThan(0);
      expect((await admin.fetchTopicOffsets(TOPICS.intake)).length).toBe(2);
    } finally {
      await admin.disconnect();
    }
    // Its dead-letter watch: a throwaway group of its prefix on the dead-letter topic.
    const watch = await startConsumer(clientAs("evoke-dashboard"), {
      groupId: `evoke-dashboard-dlq-${randomBytes(4).toString("hex")}`,
      topics: [TOPICS.deadLetter],
      eachMessage: async () => undefined,
    });
    await watch.stop();
    // It may see the intake's offsets (Describe), so it joins; its first fetch is refused.
    const reader = await startConsumer(clientAs("evoke-dashboard"), {
      groupId: `evoke-dashboard-dlq-${randomBytes(4).toString("hex")}`,
      topics: [TOPICS.intake],
      eachMessage: async () => undefined,
    });
    try {
      // startConsumer restarts a joined consumer after each crash, so a listener added now
      // sees the next refusal even if the first came before it.
      const crash = await new Promise<unknown>((resolve) => {
        reader.consumer.on(reader.consumer.events.CRASH, (event) => resolve(event.payload.error));
      });
      expect(explainKafkaError(crash, { brokers: address, username: "evoke-dashboard" })?.message).toBe(
        `Kafka at ${address[0]} denied user "evoke-dashboard" access to a topic (TOPIC_AUTHORIZATION_FAILED): no ACL allows it; grant one to User:evoke-dashboard.`,
      );
    } finally {
      await reader.stop();
    }
  }, 60_000);
});
