// `pnpm run docs`: regenerates docs/ (ingest guide, OpenAPI, AsyncAPI, JSON Schemas) and the
// README's configuration table from the code they describe.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { generatedDocs, REPOSITORY } from "./all-docs.ts";

for (const [path, content] of await generatedDocs()) {
  const target = join(REPOSITORY, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`wrote ${path}`);
}
