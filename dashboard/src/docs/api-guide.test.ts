import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENDPOINTS } from "../api/endpoints.ts";
import { dashboardApiGuide, dashboardDocs } from "./api-guide.ts";

describe("the dashboard API docs", () => {
  it("are the ones the endpoint definitions generate (run `pnpm run docs` after changing an endpoint)", async () => {
    for (const [path, expected] of dashboardDocs()) {
      const committed = await readFile(join(import.meta.dirname, "..", "..", "..", path), "utf8").catch(
        () => "(missing)",
      );
      expect(committed, `${path} is stale`).toBe(expected);
    }
  });

  it("describe every endpoint", () => {
    const guide = dashboardApiGuide();
    for (const definition of ENDPOINTS) expect(guide).toContain(definition.summary);
  });
});
