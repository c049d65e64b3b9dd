// Types for chromium-lookup.mjs, which stays plain JavaScript (bootstrap.mjs runs it before
// TypeScript tooling is installed).

/** What findChromium may look at: the environment, the platform, and the file system. */
export interface ChromiumLookupSystem {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
  /** Whether an executable file is at `path`. */
  exists(path: string): boolean;
  /** The names in `folder`, or [] when it does not exist. */
  list(folder: string): readonly string[];
}

export type ChromiumLookup =
  | { readonly path: string; readonly source: "CHROMIUM_PATH" | "system" | "playwright" | "puppeteer" }
  | { readonly path: undefined; readonly reason: string };

export const BROWSER_SUITE: string;
export function thisMachine(env?: Readonly<Record<string, string | undefined>>): ChromiumLookupSystem;
export function findChromium(system: ChromiumLookupSystem): ChromiumLookup;
export function runsBrowserTests(vitestArgs: readonly string[], root: string): boolean;
