import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Every postgres.js client is made by openPostgres (packages/db/src/postgres-client.ts), so
 * DATABASE_URL's sslmode and certificate files apply to all of them: a client made elsewhere
 * would connect without TLS, or without checking the certificate, whatever the URL says.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FOLDERS = ["packages", "services", "dashboard", "infra", "cli", "test", "bench"];
const THE_ONE_PLACE = "packages/db/src/postgres-client.ts";

/** Source files under `folder`, not descending into node_modules or data folders. */
function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory())
      return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : sourceFiles(path);
    return /\.(tsx?|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe("postgres.js clients", () => {
  it("are made only by openPostgres (type-only imports of postgres.js are fine)", () => {
    const importers = FOLDERS.flatMap(sourceFiles).filter((file) =>
      /^\s*import\s+(?!type\s)[^;]*?from\s+"postgres"/m.test(readFileSync(join(root, file), "utf8")),
    );
    expect(importers).toEqual([THE_ONE_PLACE]);
  });
});
