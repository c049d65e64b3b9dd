import { Secret } from "@evoke/config";
import { DEFAULT_TIME_LIMITS } from "@evoke/events";
import { type RunningIngest, startIngestServer } from "@evoke/ingest";
import type { Kafka } from "@evoke/kafka";
import { createLogger } from "@evoke/logger";
import { CloudEvent, emitterFor, httpTransport, Mode } from "cloudevents";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import "../setup/provided-context.ts";
import { readMessages, TEST_KEY } from "../support/ingest.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";

/*
 * Integration engineers will use the official CloudEvents SDK. Its HTTP emitter, in both
 * structured and binary mode, must be understood by ingest over real HTTP.
 */

describe("ingest: events sent with the official cloudevents SDK", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let server: RunningIngest;
  let url: string;

  beforeAll(async () => {
    kafka = testKafka("sdk");
    topics = await createTestTopics(kafka, "sdk", { count: 2 });
    // The server as main.ts runs it, on a free port, publishing to the suite's own topics.
    server = await startIngestServer(
      {
        http: { port: 0, host: "127.0.0.1", maxBodyBytes: 5 * 1024 * 1024 },
        apiKeys: [{ name: TEST_KEY.name, secret: new Secret(TEST_KEY.secret) }],
        rateLimitPerSecond: 0,
        timeLimits: DEFAULT_TIME_LIMITS,
        kafka: { brokers: inject("kafkaBrokers"), security: { tls: null, sasl: null } },
        logLevel: "silent",
      },
      {
        logger: createLogger({ name: "ingest", level: "silent" }),
        topics: { intake: topics.names[0] ?? "", transcripts: topics.names[1] ?? "" },
      },
    );
    url = `${server.url}/v1/events`;
  });

  afterAll(async () => {
    await server?.close();
    await topics?.drop();
  });

  it.each([Mode.STRUCTURED, Mode.BINARY])("accepts %s mode", async (mode) => {
    const event = new CloudEvent({
      specversion: "1.0",
      id: `evt_sdk_${mode}`,
      source: "urn:clinic:north:scheduling",
      type: "evoke.session.attended",
      time: "2026-03-14T09:32:00Z",
      subject: "cli_sdk",
      datacontenttype: "application/json",
      data: {
        sessionId: "ses_sdk",
        clientId: "cli_sdk",
        therapistId: "thr_1",
        programmeId: "prg_1",
        occurredAt: "2026-03-14T09:32:00Z",
      },
    });
    const emit = emitterFor(httpTransport(url), { mode });
    const response = (await emit(event, { headers: { authorization: `Bearer ${TEST_KEY.secret}` } })) as {
      body: string;
    };
    expect(JSON.parse(response.body)).toEqual({ accepted: 1 });

    const messages = await readMessages(kafka, topics.names[0] ?? "", mode === Mode.STRUCTURED ? 1 : 2);
    const published = messages.find((message) => message.headers.ce_id === `evt_sdk_${mode}`);
    expect(published).toMatchObject({
      key: "cli_sdk",
      headers: { ce_type: "evoke.session.attended", ce_subject: "cli_sdk" },
    });
    expect(published?.value).toEqual(event.data);
  });
});
