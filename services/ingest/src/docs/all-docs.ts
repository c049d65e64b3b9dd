import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { allConfigDefinitions, renderConfigTable } from "@evoke/config";
import { allEventJsonSchemas, asyncApiDocument } from "@evoke/events";
import { renderImportGuide } from "@evoke/import";
import { evokeQuestionnaires } from "../fhir/questionnaire-resources.ts";
import { openApiDocument } from "../openapi.ts";
import { renderIngestGuide } from "./guide.ts";

/** The repository root (this file is services/ingest/src/docs/all-docs.ts). */
export const REPOSITORY = fileURLToPath(new URL("../../../../", import.meta.url));

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const CONFIG_START = "<!-- config-table:start -->";
const CONFIG_END = "<!-- config-table:end -->";

/** README.md with the configuration table between its markers regenerated from the schemas. */
async function readmeWithConfigTable(): Promise<string> {
  const readme = await readFile(`${REPOSITORY}README.md`, "utf8");
  const start = readme.indexOf(CONFIG_START);
  const end = readme.indexOf(CONFIG_END);
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${CONFIG_START} / ${CONFIG_END} markers`);
  return `${readme.slice(0, start + CONFIG_START.length)}\n${renderConfigTable(allConfigDefinitions)}\n${readme.slice(end)}`;
}

/**
 * Every generated document, by path relative to the repository root. `pnpm run docs` writes them;
 * a unit test checks the committed files equal them.
 */
export async function generatedDocs(): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  docs.set("README.md", await readmeWithConfigTable());
  docs.set("docs/ingest.md", await renderIngestGuide());
  docs.set("docs/import.md", renderImportGuide());
  docs.set("docs/openapi.json", json(openApiDocument()));
  docs.set("docs/asyncapi.json", json(asyncApiDocument()));
  for (const [type, schema] of Object.entries(allEventJsonSchemas()))
    docs.set(`docs/events/${type}.schema.json`, json(schema));
  for (const [name, questionnaire] of evokeQuestionnaires())
    docs.set(`docs/fhir/questionnaires/${name}.json`, json(questionnaire));
  return docs;
}
