import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "./migrate.ts";

const execFileAsync = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("committed migrations", () => {
  let scratch: string;

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), "evoke-migrations-"));
    await cp(MIGRATIONS_FOLDER, scratch, { recursive: true });
  });

  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("match the drizzle schema (after a schema change, run `pnpm db:generate` and commit the result)", async () => {
    const before = await readdir(scratch);
    // drizzle-kit generate against a copy: it writes a new migration only if the schema moved on.
    const { stdout } = await execFileAsync(
      join(PACKAGE_DIR, "node_modules", ".bin", "drizzle-kit"),
      // drizzle-kit prefixes --out with "./", so the copy is given relative to the package.
      [
        "generate",
        "--dialect",
        "postgresql",
        "--schema",
        "./src/schema/index.ts",
        "--casing",
        "snake_case",
        "--out",
        relative(PACKAGE_DIR, scratch),
      ],
      { cwd: PACKAGE_DIR },
    );
    expect(stdout).toContain("No schema changes");
    expect(await readdir(scratch)).toEqual(before);
    // drizzle-kit loads the whole schema through its own bundler: seconds on a busy 2-core machine.
  }, 30_000);
});
