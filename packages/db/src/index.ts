export {
  type AccessAuditEntry,
  type AccessAuditFilter,
  type AccessAuditRow,
  type AuditOutcome,
  listAccessAudit,
  purgeAccessAudit,
  recordAccessAudit,
} from "./access-audit.ts";
export { databaseName, dropDatabase, ensureDatabase, pingDatabase, withDatabase } from "./admin.ts";
export { type NewAnnotation, recordAnnotation, removeAnnotation } from "./annotations.ts";
export {
  type ConnectOptions,
  connectDatabase,
  type Database,
  type DatabaseConnection,
  type Transaction,
} from "./client.ts";
export {
  closeDashboardSession,
  type DashboardSessionRow,
  type NewDashboardSession,
  openDashboardSession,
  purgeDashboardSessions,
  touchDashboardSession,
} from "./dashboard-sessions.ts";
export { MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";
export { openPostgres, type PostgresOptions } from "./postgres-client.ts";
export { type EventKey, hasRecordedEvents, recordProcessedEvent } from "./processed-events.ts";
export {
  clientOf,
  type ErasureCounts,
  type ErasureResult,
  eraseClient,
} from "./projections/erasure.ts";
export { fidelityStatistics, ROLLUP_STATISTIC_COLUMNS } from "./projections/fidelity-rollups.ts";
export { pipelined } from "./projections/pipelined.ts";
export {
  type RollupRebuildProgress,
  rebuildAllFidelityRollups,
  rebuildAllRetentionRollups,
  rebuildProcessedEventMinutes,
} from "./projections/rebuild-rollups.ts";
export { type RecordResult, recordEvents } from "./projections/record-events.ts";
export { purgeTranscriptText } from "./projections/transcripts.ts";
export {
  droppedBefore,
  EPISODE_END_DAY,
  type EpisodeDefinitions,
  episodeStatus,
  FIDELITY_LEVELS,
  observableAt,
  RETENTION_ROLLUP_DEFINITIONS,
  RETENTION_STATISTIC_COLUMNS,
  retainedAt,
  retentionStatistics,
  type StatusAt,
  SURVIVAL_DAYS,
  SURVIVAL_EVENT,
} from "./retention-episodes.ts";
export * as schema from "./schema/index.ts";
export { DatabaseSslError } from "./ssl-errors.ts";
export {
  compactUtteranceCodes,
  expandUtteranceCodes,
  type StoredUtteranceCode,
  type UtteranceCode,
} from "./utterance-codes.ts";
