import { pipelineActivity } from "@evoke/analytics";
import { z } from "zod";
import type { ConsumerGroupLag } from "../pipeline/consumer-lag.ts";
import type { DeadLetterSnapshot } from "../pipeline/dead-letter-watch.ts";
import { endpoint } from "./endpoint.ts";

/*
 * Pipeline health for engineers: what reached the database per hour, consumer lag per group and
 * partition, dead letters by reason (headers only, never content), model versions in use.
 */

type Sourced<T> =
  | { readonly available: true; readonly value: T }
  | { readonly available: false; readonly reason: string };

async function sourced<T>(source: (() => Promise<T>) | null, missing: string): Promise<Sourced<T>> {
  if (source === null) return { available: false, reason: missing };
  try {
    return { available: true, value: await source() };
  } catch (error) {
    return { available: false, reason: `Kafka did not answer: ${(error as Error).message}` };
  }
}

export const pipelineEndpoint = endpoint({
  path: "/pipeline",
  summary: "Pipeline health",
  description:
    "Events recorded per hour by type (last `hours`), consumer lag per group and partition, dead-lettered messages by reason (their headers only: never their content), and the automatic coding model versions in use. CSV: the consumer lag.",
  capability: "pipeline",
  cacheable: false,
  query: z.object({
    hours: z.coerce.number().int().min(1).max(168).default(24).describe("Hours of activity to show."),
  }),
  load: async (context, query) => {
    const { pipeline } = context;
    const [activity, lag] = await Promise.all([
      // Pipeline health is about the present, whatever date the analyses look from.
      pipelineActivity(context.db, { hours: query.hours, now: new Date() }),
      sourced<ConsumerGroupLag[]>(pipeline.consumerLag, "The dashboard runs without KAFKA_BROKERS."),
    ]);
    const deadLetters: Sourced<DeadLetterSnapshot> =
      pipeline.deadLetters === null
        ? { available: false, reason: "The dashboard runs without KAFKA_BROKERS." }
        : { available: true, value: pipeline.deadLetters.snapshot() };
    return { activity, consumerLag: lag, deadLetters };
  },
  table: (health) => ({
    columns: ["group_id", "state", "topic", "partition", "committed", "end", "lag"],
    rows: health.consumerLag.available
      ? health.consumerLag.value.flatMap((group) =>
          group.partitions.map((partition) => [
            group.groupId,
            group.state,
            partition.topic,
            partition.partition,
            partition.committed,
            partition.end,
            partition.lag,
          ]),
        )
      : [],
  }),
});
