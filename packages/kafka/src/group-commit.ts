/*
 * Group commit for consumers that process several partitions at once: each partition's batch
 * is handed in when it is ready, and batches handed in while a commit is in flight go together
 * in the next one. A steady stream then pays one commit (a Kafka transaction, a database
 * transaction) per round of work rather than one per partition, and how soon a batch is
 * committed is bounded by the work in front of it, not by a queue of commits.
 */

export interface GroupCommitOptions<Item> {
  /** An item's size (e.g. its bytes); a group takes items while their total stays within maxWeight. */
  readonly weigh?: (item: Item) => number;
  /** The most a group may weigh; a single heavier item still goes, alone. */
  readonly maxWeight?: number;
}

interface Waiting<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Returns `submit(item)`: it resolves with the item's result (commit's answer at the item's
 * position in its group) once the group holding it is committed, or rejects with the group's
 * error (every item of a failed group fails). Groups are committed one at a time, in the order
 * their items arrived.
 */
export function groupCommit<Item, Result>(
  commit: (group: readonly Item[]) => Promise<readonly Result[]>,
  options: GroupCommitOptions<Item> = {},
): (item: Item) => Promise<Result> {
  const weigh = options.weigh ?? (() => 1);
  const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  const waiting: Waiting<Item, Result>[] = [];
  let committing = false;

  const nextGroup = (): Waiting<Item, Result>[] => {
    let weight = weigh((waiting[0] as Waiting<Item, Result>).item);
    let size = 1;
    while (size < waiting.length) {
      const added = weigh((waiting[size] as Waiting<Item, Result>).item);
      if (weight + added > maxWeight) break;
      weight += added;
      size += 1;
    }
    return waiting.splice(0, size);
  };

  const drain = async () => {
    if (committing) return;
    committing = true;
    try {
      while (waiting.length > 0) {
        const group = nextGroup();
        try {
          const results = await commit(group.map((entry) => entry.item));
          for (const [index, entry] of group.entries()) entry.resolve(results[index] as Result);
        } catch (error) {
          for (const entry of group) entry.reject(error);
        }
      }
    } finally {
      committing = false;
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      void drain();
    });
}
