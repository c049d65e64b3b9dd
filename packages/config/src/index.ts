export { type DocumentedConfig, describeConfig, renderConfigTable, type VariableDoc } from "./docs.ts";
export { type FhirConfig, fhirConfig, fhirVariables } from "./fhir.ts";
export { type InfrastructureConfig, infrastructureConfig } from "./infrastructure.ts";
export {
  KAFKA_SASL_MECHANISMS,
  type KafkaSaslConfig,
  type KafkaSaslMechanism,
  type KafkaSecurityConfig,
  type KafkaTlsConfig,
  kafkaSecurity,
  kafkaSecurityIssues,
  kafkaSecurityVariables,
} from "./kafka-security.ts";
export {
  type ConfigDefinition,
  ConfigError,
  type ConfigIssue,
  defineConfig,
  loadConfig,
  loadConfigOrExit,
} from "./load.ts";
export { type OidcConfig, type OidcRoleMapping, oidcConfig, oidcIssues, oidcVariables } from "./oidc.ts";
export { Secret } from "./secret.ts";
export { type AggregationConfig, aggregationConfig } from "./services/aggregation.ts";
export { type CodingConfig, codingConfig } from "./services/coding.ts";
export { type DashboardConfig, dashboardConfig } from "./services/dashboard.ts";
export { eventTimeLimitsConfig, type IngestConfig, ingestConfig } from "./services/ingest.ts";
export {
  type ApiKey,
  apiKeys,
  brokerList,
  calendarDate,
  DASHBOARD_ROLES,
  type DashboardRole,
  type DashboardToken,
  dashboardTokens,
  flag,
  host,
  integer,
  type LogLevel,
  logLevel,
  optionalFlag,
  path,
  port,
  postgresUrl,
  requiredBrokerList,
  requiredPostgresUrl,
} from "./variables.ts";

import { infrastructureConfig } from "./infrastructure.ts";
import { aggregationConfig } from "./services/aggregation.ts";
import { codingConfig } from "./services/coding.ts";
import { dashboardConfig } from "./services/dashboard.ts";
import { ingestConfig } from "./services/ingest.ts";

/** Every service's definition, in pipeline order: the source of the README's config table. */
export const allConfigDefinitions = [
  infrastructureConfig,
  ingestConfig,
  codingConfig,
  aggregationConfig,
  dashboardConfig,
] as const;
