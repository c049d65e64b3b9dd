import { readFile } from "node:fs/promises";
import { join } from "node:path";

/*
 * What the commands that send through the ingest API share (`pnpm mi seed`, `pnpm mi import`):
 * where ingest is, its key, and a progress bar on stderr.
 */

/** --ingest, INGEST_URL, or the local ingest npm start runs (INGEST_PORT, default 8080). */
export function ingestUrl(option: string | undefined): string {
  return option ?? process.env.INGEST_URL ?? `http://127.0.0.1:${process.env.INGEST_PORT ?? "8080"}`;
}

/**
 * The ingest key: --key, EVOKE_INGEST_KEY, or the demo key npm start keeps in the data
 * directory. Undefined when there is none; the command says what to do.
 */
export async function ingestKey(option: string | undefined, dataDir: string): Promise<string | undefined> {
  const given = option ?? process.env.EVOKE_INGEST_KEY;
  if (given !== undefined && given !== "") return given;
  const entry = await readFile(demoKeyFile(dataDir), "utf8").catch(() => "");
  return entry.trim().split(":")[1];
}

export function demoKeyFile(dataDir: string): string {
  return join(dataDir, "demo-ingest-key");
}

/** A bar on a terminal; on anything else, a line at every tenth. */
export function progressBar(unit: string): (done: number, total: number) => void {
  const began = performance.now();
  let lastTenth = -1;
  return (done, total) => {
    const share = total === 0 ? 1 : done / total;
    const rate = done / Math.max(0.001, (performance.now() - began) / 1_000);
    const figures = `${Math.floor(share * 100)}% ${done.toLocaleString("en")}/${total.toLocaleString("en")} ${unit}  ${Math.round(rate).toLocaleString("en")}/s`;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${figures}   `);
      if (done === total) process.stderr.write("\n");
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      console.error(figures);
    }
  };
}
