import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Encoder } from "./encoder.ts";
import { ENCODERS_DIR } from "./files.ts";

/*
 * Sentence vectors for whole corpora (training and evaluation), computed once per distinct text
 * and kept on disk beside the encoder (model/encoders/<id>/vectors.bin, git-ignored) keyed by
 * the SHA-256 of the text, so `mi train` and `mi eval` do not encode AnnoMI again on every run.
 * The file holds vectors and digests, never text. Vectors are exact to recompute (the encoder
 * encodes each text alone), so the cache changes speed, not results.
 */

const DIGEST_BYTES = 32;

function digestOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

async function readCache(path: string, dimensions: number): Promise<Map<string, Float32Array>> {
  const bytes = await readFile(path).catch(() => undefined);
  const cache = new Map<string, Float32Array>();
  if (bytes === undefined) return cache;
  const record = DIGEST_BYTES + dimensions * 4;
  for (let offset = 0; offset + record <= bytes.length; offset += record) {
    const digest = bytes.subarray(offset, offset + DIGEST_BYTES).toString("hex");
    const vector = new Float32Array(dimensions);
    Buffer.from(vector.buffer).set(bytes.subarray(offset + DIGEST_BYTES, offset + record));
    cache.set(digest, vector);
  }
  return cache;
}

async function writeCache(path: string, cache: ReadonlyMap<string, Float32Array>): Promise<void> {
  const parts: Buffer[] = [];
  for (const [digest, vector] of cache)
    parts.push(Buffer.from(digest, "hex"), Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, Buffer.concat(parts));
  await rename(temporary, path);
}

/**
 * One vector per utterance of every session, in the sessions' shape. `cacheDir` defaults to the
 * encoder's folder; pass `null` to keep nothing on disk.
 */
export async function vectorsForSessions(
  encoder: Encoder,
  sessions: readonly { readonly utterances: readonly { readonly text: string }[] }[],
  options: { readonly cacheDir?: string | null; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<Float32Array[][]> {
  const path =
    options.cacheDir === null ? undefined : join(options.cacheDir ?? join(ENCODERS_DIR, encoder.id), "vectors.bin");
  const cache = path === undefined ? new Map<string, Float32Array>() : await readCache(path, encoder.dimensions);
  const texts = [...new Set(sessions.flatMap((session) => session.utterances.map((utterance) => utterance.text)))];
  const missing = texts.filter((text) => !cache.has(digestOf(text)));
  const CHUNK = 256;
  for (let start = 0; start < missing.length; start += CHUNK) {
    const chunk = missing.slice(start, start + CHUNK);
    const vectors = await encoder.embed(chunk);
    chunk.forEach((text, index) => {
      cache.set(digestOf(text), vectors[index] as Float32Array);
    });
    options.onProgress?.(Math.min(start + CHUNK, missing.length), missing.length);
  }
  if (path !== undefined && missing.length > 0) await writeCache(path, cache);
  return sessions.map((session) =>
    session.utterances.map((utterance) => cache.get(digestOf(utterance.text)) as Float32Array),
  );
}
