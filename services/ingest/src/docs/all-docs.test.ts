import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedDocs, REPOSITORY } from "./all-docs.ts";

describe("generated documentation", () => {
  it("is up to date with the code (run `pnpm run docs` and commit the result)", async () => {
    const docs = await generatedDocs();
    expect(docs.size).toBeGreaterThan(10);
    for (const [path, expected] of docs) {
      const committed = await readFile(join(REPOSITORY, path), "utf8").catch(() => "(missing)");
      expect(committed, `${path} is stale`).toBe(expected);
    }
  });
});
