// `pnpm docs:config`: prints the configuration table for README.md#configuration.
import { allConfigDefinitions, renderConfigTable } from "../index.ts";

console.log(renderConfigTable(allConfigDefinitions));
