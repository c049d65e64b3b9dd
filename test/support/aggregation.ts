import { type Database, recordEvents } from "@evoke/db";
import { type EvokeEvent, toKafkaMessage } from "@evoke/events";
import type { Producer } from "@evoke/kafka";
import type postgres from "postgres";
import { expect } from "vitest";

/** Where the pipeline puts each event: codings on the coded topic, everything else on intake. */
export interface SinkSourceTopics {
  readonly intake: string;
  readonly coded: string;
}

/** Publishes `events` in the given order, one produce request per topic per chunk. */
export async function publishEvents(
  producer: Producer,
  topics: SinkSourceTopics,
  events: readonly EvokeEvent[],
): Promise<void> {
  const coded = events.filter((event) => event.type === "evoke.session.coded");
  const intake = events.filter((event) => event.type !== "evoke.session.coded");
  await producer.sendBatch({
    acks: -1,
    topicMessages: [
      { topic: topics.intake, messages: intake.map((event) => toKafkaMessage(event)) },
      { topic: topics.coded, messages: coded.map((event) => toKafkaMessage(event)) },
    ].filter(({ messages }) => messages.length > 0),
  });
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export async function processedCount(sql: postgres.Sql): Promise<number> {
  const [row] = await sql`select count(*)::int as n from processed_events`;
  return row?.n ?? 0;
}

/** Waits until the sink has recorded `count` distinct events. */
export async function waitForProcessed(sql: postgres.Sql, count: number, timeout = 90_000): Promise<void> {
  await expect.poll(() => processedCount(sql), { timeout, interval: 250 }).toBe(count);
}

/** The expected history: the same events applied in their natural order, straight to a database. */
export async function recordReference(db: Database, events: readonly EvokeEvent[]): Promise<void> {
  await db.transaction((tx) => recordEvents(tx, events));
}
