// One file per entity; drizzle-kit reads this index to generate migrations.

export { accessAudit } from "./access-audit.ts";
export { annotations } from "./annotations.ts";
export { CODING_KINDS, type CodingKind, sessionCodings, sessionFidelity } from "./codings.ts";
export { dashboardSessions } from "./dashboard-sessions.ts";
export { clients, programmes, therapists } from "./directory.ts";
export { dischargeEvents, enrolmentEvents, episodes } from "./episodes.ts";
export { erasedClients } from "./erasures.ts";
export { clientOutcomes, readinessChanges } from "./outcomes.ts";
export { processedEventMinutes, processedEvents } from "./processed-events.ts";
export { readinessMeasurements } from "./readiness.ts";
export {
  RETENTION_ROLLUP_MILESTONES,
  retentionRollups,
  retentionSurvivalRollups,
} from "./retention-rollups.ts";
export { FIDELITY_ROLLUP_THRESHOLDS, fidelityRollups, ROLLUP_PERIODS, type RollupPeriod } from "./rollups.ts";
export { SESSION_STATUSES, type SessionStatus, sessionEvents, sessions } from "./sessions.ts";
export { transcripts } from "./transcripts.ts";
