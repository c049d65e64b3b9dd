import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.ts";

/** A commit that records each group and holds it until released. */
function heldCommits<Item>() {
  const groups: Item[][] = [];
  const releases: ((outcome?: Error) => void)[] = [];
  const commit = (group: readonly Item[]) =>
    new Promise<string[]>((resolve, reject) => {
      groups.push([...group]);
      releases.push((error) => (error === undefined ? resolve(group.map((item) => `done ${item}`)) : reject(error)));
    });
  const release = async (index: number, error?: Error) => {
    (releases[index] as (outcome?: Error) => void)(error);
    // Let the settled group's callers and the next commit run.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { groups, commit, release };
}

describe("groupCommit", () => {
  it("commits a lone item at once and answers with its result", async () => {
    const held = heldCommits<string>();
    const submit = groupCommit(held.commit);
    const answer = submit("a");
    expect(held.groups).toEqual([["a"]]);
    await held.release(0);
    await expect(answer).resolves.toBe("done a");
  });

  it("puts items handed in during a commit into the next one, each answered by its position", async () => {
    const held = heldCommits<string>();
    const submit = groupCommit(held.commit);
    const first = submit("a");
    const later = [submit("b"), submit("c"), submit("d")];
    expect(held.groups).toEqual([["a"]]);
    await held.release(0);
    expect(held.groups).toEqual([["a"], ["b", "c", "d"]]);
    await held.release(1);
    await expect(first).resolves.toBe("done a");
    await expect(Promise.all(later)).resolves.toEqual(["done b", "done c", "done d"]);
  });

  it("fails every item of a failed group and goes on with the next", async () => {
    const held = heldCommits<string>();
    const submit = groupCommit(held.commit);
    const first = submit("a");
    const failing = [submit("b"), submit("c")].map((answer) => expect(answer).rejects.toThrow("transaction aborted"));
    await held.release(0);
    const next = submit("d");
    await held.release(1, new Error("transaction aborted"));
    await Promise.all(failing);
    expect(held.groups).toEqual([["a"], ["b", "c"], ["d"]]);
    await held.release(2);
    await expect(first).resolves.toBe("done a");
    await expect(next).resolves.toBe("done d");
  });

  it("keeps a group within maxWeight, sending an item heavier than that alone", async () => {
    const held = heldCommits<number>();
    const submit = groupCommit(held.commit, { weigh: (item) => item, maxWeight: 10 });
    const answers = [submit(1), submit(4), submit(5), submit(2), submit(30), submit(3)];
    await held.release(0);
    await held.release(1);
    await held.release(2);
    await held.release(3);
    expect(held.groups).toEqual([[1], [4, 5], [2], [30], [3]]);
    await held.release(4);
    await expect(Promise.all(answers)).resolves.toHaveLength(6);
  });

  it("with concurrency 2, starts the next group while one commits, and holds the rest for a free slot", async () => {
    const held = heldCommits<string>();
    const submit = groupCommit(held.commit, { concurrency: 2 });
    const answers = [submit("a"), submit("b"), submit("c"), submit("d")];
    // "a" went alone at once; "b" arrived while one commit was running and a slot was free.
    expect(held.groups).toEqual([["a"], ["b"]]);
    await held.release(1);
    // The freed slot takes everything that waited meanwhile.
    expect(held.groups).toEqual([["a"], ["b"], ["c", "d"]]);
    await held.release(0);
    await held.release(2);
    await expect(Promise.all(answers)).resolves.toEqual(["done a", "done b", "done c", "done d"]);
  });

  it("starts a group beside a running one only once the waiting items weigh concurrentMinWeight", async () => {
    const held = heldCommits<number>();
    const submit = groupCommit(held.commit, { weigh: (item) => item, concurrency: 2, concurrentMinWeight: 10 });
    const answers = [submit(1), submit(4)];
    // 4 waits: too little to be worth a commit of its own beside the running one.
    expect(held.groups).toEqual([[1]]);
    answers.push(submit(7));
    expect(held.groups).toEqual([[1], [4, 7]]);
    answers.push(submit(2));
    await held.release(0);
    // [4, 7] still runs: 2 alone is too light to start beside it...
    expect(held.groups).toEqual([[1], [4, 7]]);
    await held.release(1);
    // ...but with nothing running it goes, however light.
    expect(held.groups).toEqual([[1], [4, 7], [2]]);
    await held.release(2);
    await expect(Promise.all(answers)).resolves.toEqual(["done 1", "done 4", "done 7", "done 2"]);
  });
});
