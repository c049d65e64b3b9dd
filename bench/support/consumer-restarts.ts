import { readFileSync } from "node:fs";
import type { LivePipeline, ServiceName } from "../../test/support/live-pipeline.ts";

/*
 * When a kafkajs consumer's batch fails beyond its retries, kafkajs drops the consumer out of
 * its group and restarts it seconds later: its partitions stall meanwhile, which shows in the
 * freshness and in rebalancing. The services log it (level warn and above, the live pipeline's
 * LOG_LEVEL), so the benchmark counts "Restarting the consumer" lines in their log files and
 * keeps the first cause given.
 */

const CONSUMERS: readonly ServiceName[] = ["coding", "aggregation"];

/** Per consumer instance ("coding-1", like the CPU roles): restarts logged so far, and the causes. */
export type RestartCounts = ReadonlyMap<string, { readonly restarts: number; readonly causes: readonly string[] }>;

export function consumerRestarts(pipeline: LivePipeline): RestartCounts {
  const counts = new Map<string, { restarts: number; causes: string[] }>();
  for (const name of CONSUMERS) {
    for (let index = 0; index < pipeline.instances(name); index += 1) {
      let log = "";
      try {
        log = readFileSync(pipeline.logFile(name, index), "utf8");
      } catch {
        continue; // not started yet
      }
      const lines = log.split("\n");
      const causes = lines
        .map((line) => /Caused by: (?:KafkaJS\w+: )?([^\\"]+)/.exec(line)?.[1]?.trim())
        .filter((cause): cause is string => cause !== undefined);
      counts.set(`${name}-${index + 1}`, {
        restarts: lines.filter((line) => line.includes("Restarting the consumer")).length,
        causes,
      });
    }
  }
  return counts;
}

/** "coding-1 restarted its consumer 1× (cause: …)" for the restarts between two readings, or "". */
export function describeRestarts(before: RestartCounts, after: RestartCounts): string {
  const parts: string[] = [];
  for (const [instance, { restarts, causes }] of after) {
    const earlier = before.get(instance);
    const more = restarts - (earlier?.restarts ?? 0);
    if (more <= 0) continue;
    const cause = causes.slice(earlier?.causes.length ?? 0)[0];
    parts.push(`${instance} ${more}×${cause === undefined ? "" : ` (${cause})`}`);
  }
  return parts.length === 0 ? "" : `consumers restarted by kafkajs after a failed batch: ${parts.join(", ")}`;
}
