import { writeFile } from "node:fs/promises";
import { loadAnnoMi } from "../annomi.ts";
import { DEFAULT_MODEL_PATH, serializeModel } from "../model.ts";
import { trainCoder } from "../train.ts";

/**
 * `pnpm mi train [--data <AnnoMI csv>] [--out <model.json>]`: trains on the AnnoMI training
 * split and writes the model. Deterministic: the same data gives the same bytes and version.
 */
export async function train(options: { data: string; out?: string }): Promise<void> {
  const began = performance.now();
  const sessions = await loadAnnoMi(options.data);
  const { json, version } = serializeModel(trainCoder(sessions));
  const out = options.out ?? DEFAULT_MODEL_PATH;
  await writeFile(out, json);
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  console.error(
    `trained ${version} on ${sessions.length} transcripts in ${seconds} s → ${out} (${(json.length / 1024).toFixed(0)} KiB)`,
  );
}
