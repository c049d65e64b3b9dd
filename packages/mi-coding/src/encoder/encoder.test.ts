import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Encoder, loadEncoder } from "./encoder.ts";
import { ENCODERS, ensureEncoderFiles } from "./files.ts";

const SPEC = ENCODERS["e5-small-v2-q"];
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, d) => sum + value * (b[d] ?? 0), 0);

describe("the sentence encoder (e5-small-v2, int8 ONNX, from Maven Central)", () => {
  let encoder: Encoder;
  beforeAll(async () => {
    encoder = await loadEncoder(SPEC, { threads: 1 });
  }, 600_000);
  afterAll(async () => {
    await encoder?.close();
  });

  it("gives one unit-length vector per text, in order", async () => {
    const vectors = await encoder.embed(["I want to stop drinking.", "Mm-hmm.", ""]);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toHaveLength(SPEC.dimensions);
      expect(cosine(vector, vector)).toBeCloseTo(1, 5);
    }
  });

  it("puts sentences that mean the same closer than sentences that do not", async () => {
    const [quit, stop, weather] = await encoder.embed([
      "I'm going to quit smoking next week.",
      "Next week I'll stop having cigarettes.",
      "The bus was late again this morning.",
    ]);
    if (quit === undefined || stop === undefined || weather === undefined) throw new Error("missing vectors");
    expect(cosine(quit, stop)).toBeGreaterThan(cosine(quit, weather) + 0.05);
  });

  it("gives a text the same vector whatever it is encoded with (so codings are reproducible)", async () => {
    const text = "Honestly, I don't think the drinking is the problem.";
    const alone = await loadEncoder(SPEC, { threads: 1, cacheSize: 1 });
    try {
      const [first] = await alone.embed([text]);
      await alone.embed(["something else entirely", "and more", "to push it out of memory"]);
      const [again] = await alone.embed(["a different batch-mate", text]).then((vectors) => vectors.slice(1));
      expect(Buffer.from((again as Float32Array).buffer).equals(Buffer.from((first as Float32Array).buffer))).toBe(
        true,
      );
    } finally {
      await alone.close();
    }
  });

  it("cuts texts longer than the encoder's window instead of failing", async () => {
    const [long] = await encoder.embed(["I drink ".repeat(400)]);
    expect(long).toHaveLength(SPEC.dimensions);
  });
});

describe("the encoder's files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "evoke-encoder-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("are replaced from the pinned artefact when a file does not match its SHA-256", async () => {
    const installed = await ensureEncoderFiles(SPEC);
    const copy = join(dir, SPEC.id);
    await ensureEncoderFiles(SPEC, { dir }); // unpacks into the temporary folder
    await copyFile(installed.tokenizerPath, join(copy, SPEC.tokenizer.entry));
    await writeFile(join(copy, SPEC.onnx.entry), "not a model");
    const messages: string[] = [];
    const repaired = await ensureEncoderFiles(SPEC, { dir, onFetch: (message) => messages.push(message) });
    expect(repaired.fetched).toBe(true);
    expect(messages[0]).toMatch(/fetching the sentence encoder e5-small-v2-q/);
    expect((await readFile(repaired.onnxPath)).length).toBeGreaterThan(1_000_000);
    expect((await ensureEncoderFiles(SPEC, { dir })).fetched).toBe(false);
  }, 600_000);
});
