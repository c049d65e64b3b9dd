import type { InfrastructureConfig } from "@evoke/config";
import { evokeTopics } from "@evoke/events";
import { createKafkaClient, ensureTopics, type KafkaSecurity } from "@evoke/kafka";
import { InfraError, reason } from "./errors.ts";

/**
 * The setup step for Evoke's topics (intake, transcripts, coded, dead-letter): creates those missing with
 * KAFKA_TOPIC_PARTITIONS partitions. Existing topics are left as they are: changing the
 * partition count of a live topic would move clients to other partitions.
 */
export async function setUpTopics(
  brokers: readonly string[],
  settings: InfrastructureConfig["kafka"]["topics"],
  security?: KafkaSecurity,
): Promise<string[]> {
  const kafka = createKafkaClient({ brokers, clientId: "evoke-setup", security });
  try {
    return await ensureTopics(kafka, evokeTopics(settings));
  } catch (error) {
    throw new InfraError(
      `Creating Evoke's Kafka topics failed: ${reason(error)}.`,
      "Check that the broker accepts topic creation, and that KAFKA_REPLICATION_FACTOR is not above its number of brokers.",
      { cause: error },
    );
  }
}
