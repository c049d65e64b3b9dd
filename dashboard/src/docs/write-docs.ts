// `pnpm run docs` (second half): regenerates docs/dashboard-api.md and docs/dashboard-openapi.json.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { dashboardDocs } from "./api-guide.ts";

const repository = join(import.meta.dirname, "..", "..", "..");
for (const [path, content] of dashboardDocs()) {
  await writeFile(join(repository, path), content);
  console.log(`wrote ${path}`);
}
