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
  /**
   * How many groups may be committing at once (default 1: one after another, as a Kafka
   * producer's transactions must be). With 2, the next group is prepared and sent while the
   * last one still runs, so a database and this process's JavaScript work at the same time.
   */
  readonly concurrency?: number;
  /**
   * While a group is committing, another starts only once the items waiting weigh at least this
   * much (default 0). Below it they wait for the running commit and go together: a steady
   * trickle keeps its full groups (each commit has a fixed cost), and only a backlog, where
   * there is plenty to share out, pays for commits side by side.
   */
  readonly concurrentMinWeight?: number;
}

interface Waiting<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Returns `submit(item)`: it resolves with the item's result (commit's answer at the item's
 * position in its group) once the group holding it is committed, or rejects with the group's
 * error (every item of a failed group fails). Groups are formed in the order their items
 * arrived and committed `concurrency` at a time (one after another by default).
 */
export function groupCommit<Item, Result>(
  commit: (group: readonly Item[]) => Promise<readonly Result[]>,
  options: GroupCommitOptions<Item> = {},
): (item: Item) => Promise<Result> {
  const weigh = options.weigh ?? (() => 1);
  const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  const waiting: Waiting<Item, Result>[] = [];
  const concurrency = options.concurrency ?? 1;
  const concurrentMinWeight = options.concurrentMinWeight ?? 0;
  let committing = 0;

  const mayStart = (): boolean => {
    if (waiting.length === 0 || committing >= concurrency) return false;
    if (committing === 0) return true;
    let weight = 0;
    for (const entry of waiting) weight += weigh(entry.item);
    return weight >= concurrentMinWeight;
  };

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

  const start = (group: readonly Waiting<Item, Result>[]): Promise<readonly Result[]> => {
    try {
      return commit(group.map((entry) => entry.item));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const drain = () => {
    while (mayStart()) {
      const group = nextGroup();
      committing += 1;
      void start(group)
        .then(
          (results) => {
            for (const [index, entry] of group.entries()) entry.resolve(results[index] as Result);
          },
          (error: unknown) => {
            for (const entry of group) entry.reject(error);
          },
        )
        .finally(() => {
          committing -= 1;
          drain();
        });
    }
  };

  return (item) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      drain();
    });
}
