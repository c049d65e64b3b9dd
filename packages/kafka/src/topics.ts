import type { Kafka } from "kafkajs";

export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
  /** 1 for the single local broker; production clusters want 3. */
  readonly replicationFactor?: number;
  /** Broker topic configs, e.g. `{ "retention.ms": "604800000" }`. */
  readonly config?: Readonly<Record<string, string>>;
}

/** How long a new topic may take to get a leader for every partition. */
const LEADER_TIMEOUT_MS = 30_000;

/**
 * Creates the topics that do not exist yet and waits until each partition has a leader.
 * Auto-creation under KRaft fails intermittently, so every topic Evoke uses is made here
 * first. Returns the names it created.
 *
 * kafkajs's own `waitForLeaders` gives up when the broker briefly answers "unknown topic"
 * right after creating it (metadata not yet propagated under KRaft, seen under load), so the
 * wait is done here, tolerating that answer until the deadline.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions ?? 1,
          replicationFactor: spec.replicationFactor ?? 1,
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    await waitForLeaders(
      admin,
      specs.map((spec) => spec.name),
    );
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: ReturnType<Kafka["admin"]>, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const ready = metadata.topics.every(
        (topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (ready) return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    if (Date.now() >= deadline)
      throw new Error(`topics ${topics.join(", ")} have no leader after ${LEADER_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function deleteTopics(kafka: Kafka, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...names] });
  } finally {
    await admin.disconnect();
  }
}
