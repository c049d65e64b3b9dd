import { Secret } from "@evoke/config";
import { DEFAULT_TIME_LIMITS, exampleEvent } from "@evoke/events";
import { type LocalBroker, startLocalBroker } from "@evoke/infra";
import { type RunningIngest, startIngestServer } from "@evoke/ingest";
import { createKafkaClient, ensureTopics } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, isolatedInfrastructure } from "../support/cli.ts";
import { readMessages, TEST_KEY } from "../support/ingest.ts";

/*
 * With its broker gone, ingest must refuse (503 + Retry-After) rather than acknowledge what it
 * cannot publish, and must recover by itself when the broker returns. This suite runs a broker
 * of its own so it can stop and restart it.
 */

const TOPICS = { intake: "evoke.intake.v1", transcripts: "evoke.transcripts.v1" };
const TOPIC = TOPICS.intake;

describe("ingest while the broker is down", () => {
  let sandbox: Awaited<ReturnType<typeof isolatedInfrastructure>>;
  let brokerOptions: { dir: string; port: number; controllerPort: number };
  let broker: LocalBroker | undefined;
  let server: RunningIngest;

  const post = (id: string) =>
    fetch(`${server.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY.secret}`, "content-type": "application/cloudevents+json" },
      body: JSON.stringify(exampleEvent("evoke.session.attended", { id })),
    });

  beforeAll(async () => {
    sandbox = await isolatedInfrastructure();
    brokerOptions = { dir: `${sandbox.dataDir}/kafka`, port: await freePort(), controllerPort: await freePort() };
    broker = await startLocalBroker(brokerOptions);
    const address = `127.0.0.1:${brokerOptions.port}`;
    await ensureTopics(createKafkaClient({ brokers: [address], clientId: "outage-setup" }), [
      { name: TOPICS.intake, partitions: 3 },
      { name: TOPICS.transcripts, partitions: 3 },
    ]);
    server = await startIngestServer(
      {
        http: { port: 0, host: "127.0.0.1", maxBodyBytes: 5 * 1024 * 1024 },
        apiKeys: [{ name: TEST_KEY.name, secret: new Secret(TEST_KEY.secret) }],
        rateLimitPerSecond: 0,
        timeLimits: DEFAULT_TIME_LIMITS,
        kafka: { brokers: [address], security: { tls: null, sasl: null } },
        logLevel: "silent",
      },
      { logger: createLogger({ name: "ingest", level: "silent" }), topics: TOPICS },
    );
  });

  afterAll(async () => {
    await server?.close();
    await broker?.lease.release();
    await sandbox?.remove();
  });

  it("answers 503 with Retry-After, acknowledges nothing, and resumes when the broker is back", async () => {
    expect((await post("evt_before")).status).toBe(202);

    await broker?.lease.release(); // stops it: this suite is its only user
    broker = undefined;

    const began = Date.now();
    const refused = await post("evt_during");
    const refusalMs = Date.now() - began;
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({ type: "/problems/broker-unavailable" });
    expect(refusalMs).toBeLessThan(30_000); // a bounded wait, not a hung request
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    broker = await startLocalBroker(brokerOptions);
    // Clients retry on 503; ingestion resumes without restarting ingest.
    await expect.poll(async () => (await post("evt_after")).status, { timeout: 60_000, interval: 1_000 }).toBe(202);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const kafka = createKafkaClient({ brokers: [`127.0.0.1:${brokerOptions.port}`], clientId: "outage-reader" });
    const ids = (await readMessages(kafka, TOPIC, 2)).map((message) => message.headers.ce_id);
    expect(ids).toContain("evt_before");
    expect(ids).toContain("evt_after");
    expect(ids).not.toContain("evt_during");
    console.log(`[ingest outage] 503 after ${refusalMs} ms`);
  });
});
