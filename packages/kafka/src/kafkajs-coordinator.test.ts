import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

/*
 * patches/kafkajs@2.2.4.patch makes kafkajs's transaction manager remember the transaction and
 * group coordinators instead of looking them up before every request of every transaction (see
 * test/integration/kafka.transactions-commit-and-abort.test.ts for the real broker). A
 * coordinator only moves when a broker fails or partitions are reassigned, which one local broker
 * cannot show, so these tests run the patched manager against a stand-in cluster whose
 * coordinator moves: a remembered coordinator that answers "not the coordinator", or whose
 * connection failed, must be looked up again and the request sent to the new one.
 */

const require = createRequire(import.meta.url);
const kafkajsRoot = require.resolve("kafkajs").replace(/index\.js$/, "");
const createEosManager = require(`${kafkajsRoot}src/producer/eosManager/index.js`) as (options: object) => EosManager;
const { KafkaJSProtocolError, KafkaJSConnectionError } = require(`${kafkajsRoot}src/errors.js`) as {
  KafkaJSProtocolError: new (error: unknown) => Error;
  KafkaJSConnectionError: new (message: string) => Error;
};
const { createErrorFromCode } = require(`${kafkajsRoot}src/protocol/error.js`) as {
  createErrorFromCode: (code: number) => unknown;
};

interface EosManager {
  initProducerId(): Promise<void>;
  beginTransaction(): void;
  addPartitionsToTransaction(topics: { topic: string; partitions: { partition: number }[] }[]): Promise<void>;
  sendOffsets(options: { consumerGroupId: string; topics: object[] }): Promise<void>;
  commit(): Promise<void>;
}

/** kafkajs's own error for a protocol error code (16: this broker is not the coordinator). */
const protocolError = (code: number) => new KafkaJSProtocolError(createErrorFromCode(code));
const NOT_COORDINATOR = 16;

/** A broker that records the requests it answers, and fails the next ones it is told to. */
class StandInBroker {
  readonly requests: string[] = [];
  private readonly failures = new Map<string, Error[]>();
  connected = true;
  constructor(readonly nodeId: number) {}
  isConnected() {
    return this.connected;
  }
  /** The next `request`s are refused with these errors, one each. */
  failNext(request: string, ...errors: Error[]) {
    this.failures.set(request, [...(this.failures.get(request) ?? []), ...errors]);
  }
  private answer(request: string) {
    this.requests.push(request);
    const failure = this.failures.get(request)?.shift();
    if (failure !== undefined) return Promise.reject(failure);
    return Promise.resolve(request === "initProducerId" ? { producerId: 7, producerEpoch: 0 } : {});
  }
  initProducerId() {
    return this.answer("initProducerId");
  }
  addPartitionsToTxn() {
    return this.answer("addPartitionsToTxn");
  }
  addOffsetsToTxn() {
    return this.answer("addOffsetsToTxn");
  }
  txnOffsetCommit() {
    return this.answer("txnOffsetCommit");
  }
  endTxn() {
    return this.answer("endTxn");
  }
}

/** The cluster as the transaction manager sees it: coordinator lookups, counted. */
function standInCluster(first: StandInBroker) {
  const cluster = {
    coordinator: first,
    lookups: 0,
    retry: { retries: 3, initialRetryTime: 1, maxRetryTime: 5 },
    refreshMetadataIfNecessary: () => Promise.resolve(),
    findGroupCoordinator: () => {
      cluster.lookups += 1;
      return Promise.resolve(cluster.coordinator);
    },
  };
  return cluster;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const partitions = [{ topic: "coded", partitions: [{ partition: 0 }] }];
const offsets = {
  consumerGroupId: "coding",
  topics: [{ topic: "transcripts", partitions: [{ partition: 0, offset: "1" }] }],
};

async function transaction(manager: EosManager) {
  manager.beginTransaction();
  await manager.addPartitionsToTransaction(partitions);
  await manager.sendOffsets(offsets);
  await manager.commit();
}

async function initialised(broker: StandInBroker) {
  const cluster = standInCluster(broker);
  const manager = createEosManager({ logger: silent, cluster, transactional: true, transactionalId: "evoke-coding" });
  await manager.initProducerId();
  return { cluster, manager };
}

/**
 * A manager that has run one transaction with broker 1 as both coordinators, after which the
 * cluster's coordinators moved to broker 2 (the manager has not been told).
 */
async function coordinatorMovedAfterOneTransaction() {
  const first = new StandInBroker(1);
  const { cluster, manager } = await initialised(first);
  await transaction(manager);
  const second = new StandInBroker(2);
  cluster.coordinator = second;
  return { first, second, manager };
}

describe("kafkajs's transaction manager, patched to remember its coordinators", () => {
  it("looks the coordinators up once, not before each request of each transaction", async () => {
    const broker = new StandInBroker(1);
    const { cluster, manager } = await initialised(broker);
    for (let round = 0; round < 3; round += 1) await transaction(manager);
    // One lookup of the transaction coordinator (at InitProducerId) and one of the group's.
    expect(cluster.lookups).toBe(2);
    expect(broker.requests.filter((request) => request === "endTxn")).toHaveLength(3);
  });

  it("looks the transaction coordinator up again when the remembered one has moved", async () => {
    const { first, second, manager } = await coordinatorMovedAfterOneTransaction();
    first.failNext("addPartitionsToTxn", protocolError(NOT_COORDINATOR));
    const before = first.requests.length;

    await transaction(manager);
    // The refused request, then only the group's offsets (its coordinator is still remembered
    // and still answers); everything for the transaction went to the new coordinator.
    expect(first.requests.slice(before)).toEqual(["addPartitionsToTxn", "txnOffsetCommit"]);
    expect(second.requests).toEqual(["addPartitionsToTxn", "addOffsetsToTxn", "endTxn"]);
  });

  it("looks the coordinator up again when the remembered one's connection failed", async () => {
    const { first, second, manager } = await coordinatorMovedAfterOneTransaction();
    first.failNext("addPartitionsToTxn", new KafkaJSConnectionError("Connection error: read ECONNRESET"));

    await transaction(manager);
    expect(second.requests).toContain("addPartitionsToTxn");
    expect(second.requests.at(-1)).toBe("endTxn");
  });

  it("does not use a remembered coordinator whose connection has closed", async () => {
    const { first, second, manager } = await coordinatorMovedAfterOneTransaction();
    first.connected = false;

    await transaction(manager);
    expect(first.requests.filter((request) => request === "endTxn")).toHaveLength(1);
    expect(second.requests).toEqual(["addPartitionsToTxn", "addOffsetsToTxn", "txnOffsetCommit", "endTxn"]);
  });

  it("sends a request once more, not again and again, when the freshly looked-up coordinator refuses too", async () => {
    const broker = new StandInBroker(1);
    const { cluster, manager } = await initialised(broker);
    const lookups = cluster.lookups;
    broker.failNext("addPartitionsToTxn", protocolError(NOT_COORDINATOR), protocolError(NOT_COORDINATOR));

    manager.beginTransaction();
    // The second refusal comes from a coordinator just looked up: the caller gets it, as it did
    // before coordinators were remembered (the producer's own retries take it from there).
    await expect(manager.addPartitionsToTransaction(partitions)).rejects.toThrow(/coordinator/i);
    expect(cluster.lookups).toBe(lookups + 1);
    expect(broker.requests.filter((request) => request === "addPartitionsToTxn")).toHaveLength(2);
  });

  it("looks the group coordinator up again when it moved, and commits the offsets there", async () => {
    const { first, second, manager } = await coordinatorMovedAfterOneTransaction();
    first.failNext("txnOffsetCommit", protocolError(NOT_COORDINATOR));

    await transaction(manager);
    expect(second.requests).toEqual(["txnOffsetCommit"]);
    expect(first.requests.at(-1)).toBe("endTxn");
  });
});
