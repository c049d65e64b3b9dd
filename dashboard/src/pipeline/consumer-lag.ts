import type { Kafka } from "@evoke/kafka";

/*
 * How far behind each consumer group is, per partition: what it has committed against the
 * partition's end (high watermark). For the engineers' "Pipeline health" page.
 */

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset (the next message it will read); null: nothing committed. */
  readonly committed: string | null;
  /** The partition's high watermark: the offset the next message produced will get. */
  readonly end: string;
  /** Messages not yet committed past: end − committed, or end − the partition's start when nothing is. */
  readonly lag: number;
}

export interface ConsumerGroupLag {
  readonly groupId: string;
  /** As the coordinator reports it: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  readonly state: string;
  /** Every partition of each topic the group has committed on; ordered by topic, then partition. */
  readonly partitions: PartitionLag[];
  readonly totalLag: number;
}

/** `readTopicToEnd`'s throwaway groups (mi dlq list, recoding): not part of the pipeline. */
const THROWAWAY_GROUP_PREFIX = "read-to-end-";

interface TopicEnds {
  readonly high: bigint;
  readonly low: bigint;
}

function lagOf(committed: bigint | null, ends: TopicEnds): number {
  const lag = ends.high - (committed ?? ends.low);
  return lag > 0n ? Number(lag) : 0;
}

/** Attempts when a topic is deleted while the lag is being read. */
const ATTEMPTS = 3;

/**
 * Lag of every consumer group on the cluster, ordered by group id. A group that has committed
 * nothing yet is listed with no partitions. Topics deleted since a group committed on them are
 * left out (their ends are gone).
 *
 * The Kafka API can return all of a group's committed offsets at once (a null topic list), but
 * kafkajs cannot ask for that, so each group's offsets are fetched for every topic and the
 * topics it has committed on kept. A topic deleted meanwhile fails kafkajs's metadata refresh
 * for the whole admin client: then it starts again, with a fresh client and topic list.
 */
export async function consumerLag(kafka: Kafka): Promise<ConsumerGroupLag[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readLag(kafka);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isUnknownTopic(error)) throw error;
    }
  }
}

function isUnknownTopic(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as { type?: unknown }).type === "UNKNOWN_TOPIC_OR_PARTITION") return true;
  }
  return false;
}

async function readLag(kafka: Kafka): Promise<ConsumerGroupLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groupIds = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((groupId) => !groupId.startsWith(THROWAWAY_GROUP_PREFIX))
      .sort();
    if (groupIds.length === 0) return [];
    const states = new Map(
      (await admin.describeGroups(groupIds)).groups.map((group) => [group.groupId, group.state] as const),
    );
    // Internal topics (__consumer_offsets, __transaction_state) are never consumed by groups we care about.
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith("__")).sort();

    const endsByTopic = new Map<string, Promise<Map<number, TopicEnds>>>();
    const endsOf = (topic: string) => {
      let ends = endsByTopic.get(topic);
      if (ends === undefined) {
        ends = admin
          .fetchTopicOffsets(topic)
          .then(
            (offsets) =>
              new Map(offsets.map((entry) => [entry.partition, { high: BigInt(entry.high), low: BigInt(entry.low) }])),
          );
        endsByTopic.set(topic, ends);
      }
      return ends;
    };

    return await Promise.all(
      groupIds.map(async (groupId): Promise<ConsumerGroupLag> => {
        const offsets = topics.length === 0 ? [] : await admin.fetchOffsets({ groupId, topics });
        const partitions: PartitionLag[] = [];
        for (const { topic, partitions: committed } of offsets) {
          if (committed.every((entry) => Number(entry.offset) < 0)) continue;
          const ends = await endsOf(topic);
          for (const entry of [...committed].sort((a, b) => a.partition - b.partition)) {
            const end = ends.get(entry.partition);
            if (end === undefined) continue;
            const position = Number(entry.offset) < 0 ? null : BigInt(entry.offset);
            partitions.push({
              topic,
              partition: entry.partition,
              committed: position === null ? null : position.toString(),
              end: end.high.toString(),
              lag: lagOf(position, end),
            });
          }
        }
        return {
          groupId,
          state: states.get(groupId) ?? "Unknown",
          partitions,
          totalLag: partitions.reduce((sum, partition) => sum + partition.lag, 0),
        };
      }),
    );
  } finally {
    await admin.disconnect();
  }
}
