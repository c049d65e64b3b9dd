import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/*
 * Debian's Chromium driven by playwright-core (which cannot download its own browser here),
 * with the flags this machine needs: no sandbox as root, and no background networking (the
 * closed network refuses it, noisily).
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
