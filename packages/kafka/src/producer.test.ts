import type { Transaction } from "kafkajs";
import { describe, expect, it } from "vitest";
import { sendOffsetsRetrying } from "./producer.ts";

/** A transaction whose sendOffsets fails with `errors` in turn, then succeeds. */
function transactionFailing(errors: readonly unknown[]) {
  let calls = 0;
  const transaction = {
    sendOffsets: async () => {
      calls += 1;
      const error = errors[calls - 1];
      if (error !== undefined) throw error;
    },
  } as unknown as Transaction;
  return { transaction, calls: () => calls };
}

const concurrent = Object.assign(new Error("another concurrent operation on the same transaction"), {
  type: "CONCURRENT_TRANSACTIONS",
});
const offsets = { consumerGroupId: "coding", topics: [{ topic: "t", partitions: [{ partition: 0, offset: "5" }] }] };

describe("sendOffsetsRetrying", () => {
  it("tries again while the coordinator is still finishing the previous transaction", async () => {
    const { transaction, calls } = transactionFailing([concurrent, concurrent, concurrent]);
    await sendOffsetsRetrying(transaction, offsets);
    expect(calls()).toBe(4);
  });

  it("gives up after its retries, with the coordinator's error", async () => {
    const { transaction, calls } = transactionFailing(Array.from({ length: 20 }, () => concurrent));
    await expect(sendOffsetsRetrying(transaction, offsets)).rejects.toBe(concurrent);
    expect(calls()).toBe(12);
  }, 20_000);

  it("does not retry other errors", async () => {
    const fenced = Object.assign(new Error("fenced"), { type: "INVALID_PRODUCER_EPOCH" });
    const { transaction, calls } = transactionFailing([fenced]);
    await expect(sendOffsetsRetrying(transaction, offsets)).rejects.toBe(fenced);
    expect(calls()).toBe(1);
  });
});
