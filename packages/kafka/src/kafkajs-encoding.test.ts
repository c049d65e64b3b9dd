import { createRequire } from "node:module";
import fc from "fast-check";
import { Partitioners } from "kafkajs";
import { describe, expect, it } from "vitest";

/*
 * patches/kafkajs@2.2.4.patch rewrites how kafkajs encodes one record of a produce request (one
 * exactly-sized buffer instead of a chain of Encoders), how it groups a request's messages by
 * partition (appending instead of copying) and its murmur2 key hash (32-bit integers instead of
 * its BigInt Long). What the broker receives, and which partition a key lands on, must not
 * change: these tests compare the patched code's results with kafkajs 2.2.4's own algorithms,
 * rebuilt here from its unpatched Encoder, header encoder and Long.
 */

interface EncoderInstance {
  readonly buf: Buffer;
  readonly buffer: Buffer;
  size(): number;
  writeVarInt(value: number): EncoderInstance;
  writeInt8(value: number): EncoderInstance;
  writeVarLong(value: number): EncoderInstance;
  writeVarIntBytes(value: RecordBytes): EncoderInstance;
  writeVarIntArray(array: readonly EncoderInstance[]): EncoderInstance;
}

interface EncoderClass {
  new (): EncoderInstance;
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: number): number;
  sizeOfVarIntBytes(value: RecordBytes): number;
}

type RecordBytes = Buffer | string | null | undefined;
type HeaderValue = Buffer | string;

interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: RecordBytes;
  value?: RecordBytes;
  headers?: Record<string, HeaderValue | HeaderValue[]>;
}

const require = createRequire(import.meta.url);
const Encoder = require("kafkajs/src/protocol/encoder") as EncoderClass;
const Header = require("kafkajs/src/protocol/recordBatch/header/v0") as (header: {
  key: string;
  value: HeaderValue;
}) => EncoderInstance;
const patchedRecord = require("kafkajs/src/protocol/recordBatch/record/v0") as (record: RecordInput) => EncoderInstance;

interface PartitionMetadata {
  readonly partitionId: number;
  readonly leader: number;
}
type Partitioner = (args: { topic: string; partitionMetadata: PartitionMetadata[]; message: RecordInput }) => number;
interface GroupArgs {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  messages: RecordInput[];
  partitioner: Partitioner;
}
const groupMessagesPerPartition = require("kafkajs/src/producer/groupMessagesPerPartition") as (
  args: GroupArgs,
) => Record<number, RecordInput[]>;

/** kafkajs 2.2.4's src/producer/groupMessagesPerPartition.js, as released. */
function originalGroup({ topic, partitionMetadata, messages, partitioner }: GroupArgs) {
  if (partitionMetadata.length === 0) return {};
  return messages.reduce<Record<number, RecordInput[]>>((result, message) => {
    const partition = partitioner({ topic, partitionMetadata, message });
    const current = result[partition] ?? [];
    return Object.assign(result, { [partition]: [...current, message] });
  }, {});
}

interface LongInstance {
  xor(other: LongInstance | number): LongInstance;
  multiply(other: LongInstance | number): LongInstance;
  toInt(): number;
}
const Long = require("kafkajs/src/utils/long") as { fromValue(value: LongInstance | number): LongInstance };
const murmur2 = require("kafkajs/src/producer/partitioners/default/murmur2") as (key: Buffer | string) => number;

/** kafkajs 2.2.4's src/producer/partitioners/default/murmur2.js, as released. */
function originalMurmur2(key: Buffer | string): number {
  const M = Long.fromValue(0x5bd1e995);
  const data = Buffer.isBuffer(key) ? key : Buffer.from(String(key));
  const length = data.length;
  const byte = (index: number) => (data[index] ?? 0) & 0xff;
  let h = Long.fromValue(Long.fromValue(0x9747b28c).xor(length));
  for (let i = 0; i < Math.floor(length / 4); i++) {
    const i4 = i * 4;
    let k = Long.fromValue(byte(i4) + (byte(i4 + 1) << 8) + (byte(i4 + 2) << 16) + (byte(i4 + 3) << 24));
    k = k.multiply(M);
    k = k.xor(k.toInt() >>> 24);
    k = Long.fromValue(k).multiply(M);
    h = h.multiply(M).xor(k);
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h = h.xor(byte(tail + 2) << 16);
  if (rest >= 2) h = h.xor(byte(tail + 1) << 8);
  if (rest >= 1) h = h.xor(byte(tail)).multiply(M);
  h = h.xor(h.toInt() >>> 13);
  h = h.multiply(M);
  h = h.xor(h.toInt() >>> 15);
  return h.toInt();
}

interface DecoderInstance {
  readString(): string;
  readInt16(): number;
  readInt32(): number;
  readArray<T>(reader: (decoder: DecoderInstance) => T): T[];
}
interface DecodedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | Buffer[]>;
  readonly offset: string;
}
const Decoder = require("kafkajs/src/protocol/decoder") as new (buffer: Buffer) => DecoderInstance;
const decodeRecordBatch = require("kafkajs/src/protocol/recordBatch/v0/decoder") as (
  decoder: DecoderInstance,
) => Promise<{ records: DecodedRecord[] }>;
const produceRequest = require("kafkajs/src/protocol/requests/produce/v3/request") as (request: {
  acks: number;
  timeout: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence: number; messages: RecordInput[] }[] }[];
}) => { encode(): Promise<EncoderInstance> };

/** kafkajs 2.2.4's src/protocol/recordBatch/record/v0/index.js, as released. */
function originalRecord({ offsetDelta = 0, timestampDelta = 0, key, value, headers = {} }: RecordInput): Buffer {
  const headersArray = Object.keys(headers).flatMap((headerKey) => {
    const entry = headers[headerKey] as HeaderValue | HeaderValue[];
    return !Array.isArray(entry)
      ? [{ key: headerKey, value: entry }]
      : entry.map((headerValue) => ({ key: headerKey, value: headerValue }));
  });
  let sizeOfHeaders = Encoder.sizeOfVarInt(headersArray.length);
  for (const header of headersArray) {
    const keySize = Buffer.byteLength(header.key);
    const valueSize = Buffer.byteLength(header.value);
    sizeOfHeaders += Encoder.sizeOfVarInt(keySize) + keySize + Encoder.sizeOfVarInt(valueSize) + valueSize;
  }
  const sizeOfBody =
    1 +
    Encoder.sizeOfVarLong(timestampDelta) +
    Encoder.sizeOfVarInt(offsetDelta) +
    Encoder.sizeOfVarIntBytes(key) +
    Encoder.sizeOfVarIntBytes(value) +
    sizeOfHeaders;
  return new Encoder()
    .writeVarInt(sizeOfBody)
    .writeInt8(0)
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarIntArray(headersArray.map(Header)).buffer;
}

function expectSameBytes(record: RecordInput) {
  const patched = patchedRecord(record);
  expect(patched.buffer.toString("hex")).toBe(originalRecord(record).toString("hex"));
  return patched;
}

/** What ingest sends: a CloudEvent in Kafka's binary content mode. */
const intakeRecord: RecordInput = {
  offsetDelta: 17,
  timestampDelta: 3,
  key: "cli_4f1c2a",
  value: JSON.stringify({ sessionId: "ses_81f", programmeId: "prg_7", startedAt: "2026-03-14T10:00:00Z" }),
  headers: {
    ce_specversion: "1.0",
    ce_id: "evt_01HZX3",
    ce_source: "/ehr/north",
    ce_type: "evoke.session.attended",
    ce_time: "2026-03-14T10:00:00Z",
    "content-type": "application/json",
    "evoke-received-at": "2026-03-14T10:00:01Z",
  },
};

describe("kafkajs record encoding (patched)", () => {
  it("writes the same bytes as kafkajs 2.2.4 for an intake event", () => {
    expectSameBytes(intakeRecord);
  });

  it("writes the same bytes for null and missing keys and values (tombstones)", () => {
    expectSameBytes({ key: null, value: null });
    expectSameBytes({ key: "k", value: null });
    expectSameBytes({});
    expectSameBytes({ key: Buffer.alloc(0), value: "" });
  });

  it("writes the same bytes for unicode, Buffers, repeated headers and large values", () => {
    expectSameBytes({
      key: "клиент-😀",
      value: "naïve — “quoted” \u{1F600} \uD800 lone surrogate",
      headers: { "ключ-ü": "värde 😀", raw: Buffer.from([0, 255, 128, 7]), repeated: ["one", Buffer.from("two"), ""] },
    });
    expectSameBytes({ key: Buffer.from([1, 2, 3]), value: "x".repeat(70_000), headers: { big: "y".repeat(20_000) } });
  });

  it("writes the same bytes for negative and large deltas", () => {
    for (const timestampDelta of [
      0,
      -1,
      63,
      64,
      -65,
      2 ** 31,
      -(2 ** 40),
      2 ** 50,
      2 ** 50 + 1,
      2 ** 52,
      -(2 ** 53) + 1,
    ])
      expectSameBytes({ ...intakeRecord, timestampDelta });
    for (const offsetDelta of [0, 1, 63, 64, 8191, 8192, 2 ** 20, 2 ** 31 - 1])
      expectSameBytes({ ...intakeRecord, offsetDelta });
  });

  it("writes the same bytes for any record", () => {
    const bytes = fc.oneof(
      fc.constant(null),
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
    );
    const headerValue = fc.oneof(
      fc.string({ unit: "binary", maxLength: 80 }),
      fc.uint8Array({ maxLength: 80 }).map((array) => Buffer.from(array)),
    );
    fc.assert(
      fc.property(
        fc.record({
          offsetDelta: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          timestampDelta: fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.maxSafeInteger()),
          key: bytes,
          value: bytes,
          headers: fc.dictionary(
            fc.string({ unit: "grapheme", maxLength: 30 }),
            fc.oneof(headerValue, fc.array(headerValue)),
          ),
        }),
        (record) => {
          expectSameBytes(record);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("encodes each record into one buffer of exactly its size", () => {
    const encoded = expectSameBytes(intakeRecord);
    expect(encoded.buf.length).toBe(encoded.size());
  });

  it("refuses what kafkajs 2.2.4 refuses: a null header value, a fractional timestamp delta", () => {
    const record = { headers: { ce_id: null } } as unknown as RecordInput;
    expect(() => originalRecord(record)).toThrow(TypeError);
    expect(() => patchedRecord(record)).toThrow(TypeError);
    expect(() => originalRecord({ timestampDelta: 1.5 })).toThrow(RangeError);
    expect(() => patchedRecord({ timestampDelta: 1.5 })).toThrow(RangeError);
  });

  it("builds produce requests whose records read back as sent", async () => {
    const messages: RecordInput[] = [
      intakeRecord,
      { key: "klient-ü", value: null, headers: { repeated: ["a", "b"] } },
      { key: null, value: Buffer.from([0, 1, 2]) },
    ];
    const encoded = await produceRequest({
      acks: -1,
      timeout: 30_000,
      topicData: [{ topic: "evoke.intake.v1", partitions: [{ partition: 3, firstSequence: 0, messages }] }],
    }).encode();
    const request = new Decoder(encoded.buffer);
    expect(request.readString()).toBeNull(); // not transactional
    expect([request.readInt16(), request.readInt32()]).toEqual([-1, 30_000]);
    const topics = request.readArray((topic) => ({
      topic: topic.readString(),
      partitions: topic.readArray((partition) => {
        const number = partition.readInt32();
        partition.readInt32(); // the record set's size; the batch follows
        return { partition: number, batch: decodeRecordBatch(partition) };
      }),
    }));
    expect(topics.map(({ topic }) => topic)).toEqual(["evoke.intake.v1"]);
    const [partition] = topics[0]?.partitions ?? [];
    expect(partition?.partition).toBe(3);
    const { records } = await (partition?.batch ?? Promise.reject(new Error("no partition")));
    const text = (bytes: Buffer | Buffer[] | null) =>
      bytes === null ? null : Array.isArray(bytes) ? bytes.map(String) : bytes.toString();
    expect(
      records.map((record) => ({
        offset: record.offset,
        key: text(record.key),
        value: record.value === null ? null : record.value.toString("hex"),
        headers: Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, text(value)])),
      })),
    ).toEqual([
      {
        offset: "0",
        key: intakeRecord.key,
        value: Buffer.from(intakeRecord.value as string).toString("hex"),
        headers: intakeRecord.headers,
      },
      { offset: "1", key: "klient-ü", value: null, headers: { repeated: ["a", "b"] } },
      { offset: "2", key: null, value: "000102", headers: {} },
    ]);
  });
});

describe("kafkajs grouping of a request's messages by partition (patched)", () => {
  const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 1 }));
  const partitioner = Partitioners.DefaultPartitioner() as unknown as Partitioner;
  // Keyed, as ingest's are (keyless ones go round-robin from a random start: not comparable).
  const messages: RecordInput[] = Array.from({ length: 2_000 }, (_, i) => ({
    key: `cli_${(i * 7919) % 301}`,
    value: String(i),
  }));

  it("puts the same messages, in the same order, on the same partitions as kafkajs 2.2.4", () => {
    const patched = groupMessagesPerPartition({ topic: "t", partitionMetadata, messages, partitioner });
    const original = originalGroup({ topic: "t", partitionMetadata, messages, partitioner });
    expect(Object.keys(patched)).toEqual(Object.keys(original));
    expect(Object.keys(patched).length).toBe(6);
    for (const [partition, list] of Object.entries(original))
      expect(patched[Number(partition)]?.map((message) => message.value)).toEqual(list.map((message) => message.value));
  });

  it("groups nothing when the topic has no partitions known", () => {
    expect(groupMessagesPerPartition({ topic: "t", partitionMetadata: [], messages, partitioner })).toEqual({});
  });
});

describe("kafkajs murmur2 key hash (patched)", () => {
  it("gives the Java client's hashes (Kafka's own UtilsTest cases)", () => {
    expect(murmur2("21")).toBe(-973932308);
    expect(murmur2("foobar")).toBe(-790332482);
    expect(murmur2("a-little-bit-long-string")).toBe(-985981536);
    expect(murmur2("a-little-bit-longer-string")).toBe(-1486304829);
    expect(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")).toBe(-58897971);
    expect(murmur2(Buffer.from("abc"))).toBe(479470107);
  });

  it("gives kafkajs 2.2.4's hash for any key", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 80 }),
          fc.uint8Array({ maxLength: 80 }).map((array) => Buffer.from(array)),
        ),
        (key) => {
          expect(murmur2(key)).toBe(originalMurmur2(key));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
