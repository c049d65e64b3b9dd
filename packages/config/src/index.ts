export { type DocumentedConfig, describeConfig, renderConfigTable, type VariableDoc } from "./docs.ts";
export { type InfrastructureConfig, infrastructureConfig } from "./infrastructure.ts";
export { type ConfigDefinition, ConfigError, type ConfigIssue, defineConfig, loadConfig } from "./load.ts";
export { Secret } from "./secret.ts";
export { brokerList, type LogLevel, logLevel, path, port, postgresUrl } from "./variables.ts";

import { infrastructureConfig } from "./infrastructure.ts";

/** Every service's definition, in pipeline order: the source of the README's config table. */
export const allConfigDefinitions = [infrastructureConfig] as const;
