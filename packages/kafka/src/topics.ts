import type { Kafka } from "kafkajs";

export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
  /** 1 for the single local broker; production clusters want 3. */
  readonly replicationFactor?: number;
  /** Broker topic configs, e.g. `{ "retention.ms": "604800000" }`. */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Creates the topics that do not exist yet and waits until each partition has a leader.
 * Auto-creation under KRaft fails intermittently, so every topic Evoke uses is made here
 * first. Returns the names it created.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions ?? 1,
        replicationFactor: spec.replicationFactor ?? 1,
        configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
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
