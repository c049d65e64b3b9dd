import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { findChromium, thisMachine } from "../../infra/bootstrap/chromium-lookup.mjs";

/*
 * A Chromium driven by playwright-core (which cannot download its own browser here), with the
 * flags this machine needs: no sandbox as root, and no background networking (the closed
 * network refuses it, noisily). npm test finds or installs one before the suites start and
 * passes it as CHROMIUM_PATH; `vitest run` alone looks in the same places.
 */

export const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

export async function launchChromium(): Promise<Browser> {
  const found = findChromium(thisMachine());
  if (found.path === undefined) {
    throw new Error(
      `No Chromium for the browser tests (${found.reason}): run them through npm test, which installs Debian's chromium when it can, or install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A folder for a suite's screenshots and downloads, kept after the run (git-ignored). */
export async function artifactsFolder(name: string): Promise<string> {
  const folder = join(ARTIFACTS, name);
  await mkdir(folder, { recursive: true });
  return folder;
}
