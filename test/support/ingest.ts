import { type FhirConfig, Secret } from "@evoke/config";
import { createIngestApp, createKafkaPublisher, IngestMetrics, type KafkaPublisher } from "@evoke/ingest";
import { type Kafka, startConsumer } from "@evoke/kafka";
import { createTestTopics, testKafka } from "./kafka.ts";
import { capturingLogger } from "./logs.ts";
import { uniqueName } from "./names.ts";

export const TEST_KEY = { name: "north-ehr", secret: "test-secret-0123456789abcdef" };

export interface TestIngest {
  readonly app: ReturnType<typeof createIngestApp>;
  readonly kafka: Kafka;
  /** The intake topic: every accepted event but transcripts. */
  readonly topic: string;
  /** Where accepted transcripts go. */
  readonly transcriptsTopic: string;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real ingest app, publishing through a real producer to topics of the suite's own (intake
 * and transcripts).
 * Requests go through `app.request()`; nothing of Kafka is stood in for.
 */
export async function createTestIngest(
  label: string,
  options: {
    rateLimitPerSecond?: number;
    maxBodyBytes?: number;
    partitions?: number;
    topicConfig?: Record<string, string>;
    fhir?: FhirConfig;
  } = {},
): Promise<TestIngest> {
  const kafka = testKafka(label);
  const topics = await createTestTopics(kafka, label, {
    count: 2,
    partitions: options.partitions ?? 3,
    config: options.topicConfig ?? {},
  });
  const [topic = "", transcriptsTopic = ""] = topics.names;
  const publisher: KafkaPublisher = await createKafkaPublisher(kafka, { intake: topic, transcripts: transcriptsTopic });
  const { logger, logs } = capturingLogger("ingest", "debug");
  const app = createIngestApp({
    apiKeys: [{ name: TEST_KEY.name, secret: new Secret(TEST_KEY.secret) }],
    publisher,
    logger,
    metrics: new IngestMetrics(),
    maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 0,
    isReady: async () => true,
    ...(options.fhir === undefined ? {} : { fhir: options.fhir }),
  });
  return {
    app,
    kafka,
    topic,
    transcriptsTopic,
    logs,
    close: async () => {
      await publisher.close();
      await topics.drop();
    },
  };
}

export function postEvents(
  ingest: Pick<TestIngest, "app">,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> | Response {
  return ingest.app.request("/v1/events", {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_KEY.secret}`, ...headers },
    body,
  });
}

export interface ReadMessage {
  readonly key: string;
  readonly value: unknown;
  readonly headers: Record<string, string>;
  readonly topic: string;
  readonly partition: number;
}

/** The message value as JSON when it is JSON (dead letters may hold anything), else as text. */
function parseValue(value: Buffer | null): unknown {
  try {
    return JSON.parse(String(value));
  } catch {
    return String(value);
  }
}

/** Reads the topic (or topics) from the start until `count` messages have arrived. */
export async function readMessages(
  kafka: Kafka,
  topic: string | readonly string[],
  count: number,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const messages: ReadMessage[] = [];
  let done: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  const running = await startConsumer(kafka, {
    groupId: uniqueName("test-reader"),
    topics: typeof topic === "string" ? [topic] : [...topic],
    eachMessage: async ({ message, topic: from, partition }) => {
      messages.push({
        key: String(message.key),
        value: parseValue(message.value),
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        topic: from,
        partition,
      });
      if (messages.length >= count) done();
    },
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`read ${messages.length} of ${count} messages from ${topic}`)), timeoutMs),
  );
  try {
    await Promise.race([enough, timeout]);
  } finally {
    await running.stop();
  }
  return messages;
}

/** How many messages the topic holds (the sum of its partitions' end offsets). */
/**
 * A topic created a moment ago can have a leader in the metadata before that broker serves it
 * ("not the leader for that topic-partition", retriable): ask again for a few seconds.
 */
async function fetchOffsetsOnceLed(admin: ReturnType<Kafka["admin"]>, topic: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function messageCount(kafka: Kafka, topic: string | readonly string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let count = 0;
    for (const name of typeof topic === "string" ? [topic] : topic) {
      const offsets = await fetchOffsetsOnceLed(admin, name);
      count += offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    }
    return count;
  } finally {
    await admin.disconnect();
  }
}
