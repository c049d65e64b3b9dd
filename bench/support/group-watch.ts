import type { Kafka } from "@evoke/kafka";

/*
 * Watches consumer groups from outside, as an operator would: every `intervalMs` the group's
 * state and member count (DescribeGroups) and the sum of its committed offsets (OffsetFetch).
 * A rebalance shows as states other than Stable; the consumption pause it causes shows as a gap
 * in the committed offsets' progress while there is work.
 */

export interface GroupSample {
  /** performance.now() when the answer came back. */
  readonly at: number;
  readonly state: string;
  readonly members: number;
  /** Sum of the committed offsets over the group's topics. */
  readonly committed: number;
}

export interface GroupWatch {
  readonly samples: ReadonlyMap<string, readonly GroupSample[]>;
  /** Resolves once `group` is Stable with `members` members (polled at the watch's pace). */
  stable(group: string, members: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export async function watchGroups(
  kafka: Kafka,
  groups: Readonly<Record<string, readonly string[]>>,
  intervalMs = 100,
): Promise<GroupWatch> {
  const admin = kafka.admin();
  await admin.connect();
  const samples = new Map<string, GroupSample[]>(Object.keys(groups).map((group) => [group, []]));
  let running = true;
  const loop = (async () => {
    while (running) {
      const began = performance.now();
      try {
        const described = await admin.describeGroups(Object.keys(groups));
        for (const group of described.groups) {
          const topics = groups[group.groupId] ?? [];
          const offsets = await admin.fetchOffsets({ groupId: group.groupId, topics: [...topics] });
          const committed = offsets
            .flatMap((topic) => topic.partitions)
            .reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
          samples.get(group.groupId)?.push({
            at: performance.now(),
            state: group.state,
            members: group.members.length,
            committed,
          });
        }
      } catch {
        // A coordinator moving or busy for a moment: the next poll tells.
      }
      const rest = intervalMs - (performance.now() - began);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  })();
  return {
    samples,
    stable: async (group, members, timeoutMs = 60_000) => {
      const giveUpAt = performance.now() + timeoutMs;
      for (;;) {
        const last = samples.get(group)?.at(-1);
        if (last !== undefined && last.state === "Stable" && last.members === members) return last.at;
        if (performance.now() > giveUpAt)
          throw new Error(`group ${group} not Stable with ${members} members after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs / 2));
      }
    },
    stop: async () => {
      running = false;
      await loop;
      await admin.disconnect();
    },
  };
}

export interface Rebalance {
  /** From the first sample not Stable to the first Stable again with the new member count; 0 if no sample caught it. */
  readonly unstableMs: number;
  /** The longest stretch without committed progress in [from − 1 s, settled + 3 s]. */
  readonly pauseMs: number;
  /** The same measure over a quiet window before, for comparison. */
  readonly baselinePauseMs: number;
  /** The states seen from the change until settled, with how long each lasted: "PreparingRebalance 2.9 s, …". */
  readonly states: string;
}

/** Consecutive samples of one state, in order, with how long each stretch lasted. */
function stateStretches(samples: readonly GroupSample[], from: number, to: number): string {
  const window = samples.filter((sample) => sample.at >= from && sample.at <= to);
  const stretches: { state: string; members: number; from: number; to: number }[] = [];
  for (const sample of window) {
    const last = stretches.at(-1);
    if (last !== undefined && last.state === sample.state && last.members === sample.members) last.to = sample.at;
    else stretches.push({ state: sample.state, members: sample.members, from: sample.at, to: sample.at });
  }
  return stretches
    .map((stretch, index) => {
      const until = stretches[index + 1]?.from ?? stretch.to;
      return `${stretch.state}/${stretch.members} ${((until - stretch.from) / 1000).toFixed(1)} s`;
    })
    .join(" → ");
}

/** Longest interval between two samples whose committed offsets differ, within [from, to]. */
function longestPause(samples: readonly GroupSample[], from: number, to: number): number {
  const window = samples.filter((sample) => sample.at >= from && sample.at <= to);
  let longest = 0;
  let lastProgress = window[0]?.at ?? from;
  for (let index = 1; index < window.length; index += 1) {
    const sample = window[index] as GroupSample;
    if (sample.committed !== (window[index - 1] as GroupSample).committed) {
      longest = Math.max(longest, sample.at - lastProgress);
      lastProgress = sample.at;
    }
  }
  const end = window.at(-1)?.at ?? to;
  return Math.max(longest, end - lastProgress);
}

/**
 * What a membership change did to a group: `changedAt` is when the member was started or
 * stopped, `settledAt` when the group was Stable again with the new count, `baseline` a window
 * of steady consumption before it.
 */
export function rebalanceOf(
  samples: readonly GroupSample[],
  changedAt: number,
  settledAt: number,
  baseline: { readonly from: number; readonly to: number },
): Rebalance {
  const firstUnstable = samples.find((sample) => sample.at >= changedAt && sample.state !== "Stable");
  return {
    unstableMs: firstUnstable === undefined ? 0 : Math.max(0, settledAt - firstUnstable.at),
    pauseMs: longestPause(samples, changedAt - 1_000, settledAt + 3_000),
    baselinePauseMs: longestPause(samples, baseline.from, baseline.to),
    states: stateStretches(samples, changedAt, settledAt + 500),
  };
}
