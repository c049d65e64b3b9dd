import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { renderConfigTable } from "./docs.ts";
import { allConfigDefinitions } from "./index.ts";

describe("the README's configuration table", () => {
  it("is the one the schemas generate (run `pnpm run docs` after changing a schema)", async () => {
    const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(renderConfigTable(allConfigDefinitions));
  });

  it("lists each variable with its default and who reads it", () => {
    const table = renderConfigTable(allConfigDefinitions);
    expect(table).toContain("| `KAFKA_PORT` | `9092` | infrastructure |");
    expect(table).toContain("| `DATABASE_URL` | unset | infrastructure, aggregation, dashboard |");
    expect(table).toContain("| `TRANSCRIPT_RETENTION_DAYS` | `90` | aggregation |");
  });
});
