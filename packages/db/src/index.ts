export { databaseName, dropDatabase, ensureDatabase, pingDatabase, withDatabase } from "./admin.ts";
export { type NewAnnotation, recordAnnotation, removeAnnotation } from "./annotations.ts";
export {
  type ConnectOptions,
  connectDatabase,
  type Database,
  type DatabaseConnection,
  type Transaction,
} from "./client.ts";
export { MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";
export { openPostgres, type PostgresOptions, withPostgres } from "./postgres-client.ts";
export { type EventKey, hasRecordedEvents, recordProcessedEvent } from "./processed-events.ts";
export { type RecordResult, recordEvents } from "./projections/record-events.ts";
export { purgeTranscriptText } from "./projections/transcripts.ts";
export * as schema from "./schema/index.ts";
export { type DatabaseSsl, type DatabaseTarget, databaseTarget, SSL_MODES, type SslMode } from "./ssl.ts";
export { DatabaseSslError, explainConnectionFailure } from "./ssl-errors.ts";
export {
  compactUtteranceCodes,
  expandUtteranceCodes,
  type StoredUtteranceCode,
  type UtteranceCode,
} from "./utterance-codes.ts";
