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
