import { createKafkaClient, deleteTopics, ensureTopics, type Kafka } from "@evoke/kafka";
import { inject } from "vitest";
import "../setup/provided-context.ts";
import { uniqueName } from "./names.ts";

export function testKafka(label: string): Kafka {
  return createKafkaClient({ brokers: inject("kafkaBrokers"), clientId: uniqueName(`test-${label}`) });
}

export interface TestTopics {
  readonly names: readonly string[];
  /** Deletes the suite's topics: its own, nobody else's. */
  drop(): Promise<void>;
}

/** Creates `count` fresh topics with `partitions` partitions each (and any topic `config`). */
export async function createTestTopics(
  kafka: Kafka,
  label: string,
  options: { count?: number; partitions?: number; config?: Record<string, string> } = {},
): Promise<TestTopics> {
  const names = Array.from({ length: options.count ?? 1 }, () => uniqueName(`test.${label}`));
  await ensureTopics(
    kafka,
    names.map((name) => ({ name, partitions: options.partitions ?? 1, config: options.config ?? {} })),
  );
  return { names, drop: () => deleteTopics(kafka, names) };
}

/** Messages on `topics` the group has not yet committed past (summed over partitions). */
export async function groupLag(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const positions = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      for (const { partition, high } of ends) {
        const offset = Number(positions.find((entry) => entry.partition === partition)?.offset ?? -1);
        lag += Number(high) - Math.max(offset, 0);
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
