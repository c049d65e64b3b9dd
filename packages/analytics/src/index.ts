// The analytics behind the dashboard. Each takes the database and a typed query and returns
// plain data (numbers with their intervals), ready for JSON, CSV or a plot.
export {
  BEHAVIOUR_COUNTS,
  COUNT_RATE_MINUTES,
  type CoderAgreement,
  type CoderAgreementQuery,
  type CodingModelVersion,
  coderAgreement,
  codingModelVersions,
  GLOBAL_RATINGS,
  type MeasureAgreement,
} from "./agreement.ts";
export {
  ASSOCIATION_NOTE,
  type Association,
  type AssociationQuery,
  FIDELITY_MEAN_COLUMNS,
  type FidelityMeasure,
  type FittedLine,
  fidelityOutcomeAssociation,
  type OutcomeMeasure,
} from "./association.ts";
export {
  type Cohort,
  type CohortComparison,
  type CohortComparisonQuery,
  type CohortMetric,
  type CohortSummary,
  type CohortTest,
  compareCohorts,
} from "./cohorts.ts";
export {
  type Annotation,
  type AnnotationQuery,
  annotationsFor,
  type ProgrammeEntry,
  type ProgrammeName,
  programmeDirectory,
  programmeNames,
  type SessionCodingDetail,
  type SessionDetail,
  sessionDetail,
  type TherapistEntry,
  therapistDirectory,
} from "./directory.ts";
export type { Mean, Share } from "./estimates.ts";
export {
  type FidelityGroup,
  type FidelityGrouping,
  type FidelityQuery,
  fidelityByGroup,
  SESSION_ORDERS,
  type SessionFidelity,
  type SessionFidelityQuery,
  type SessionOrder,
  sessionFidelity,
} from "./fidelity.ts";
export type { FidelitySource } from "./fidelity-statistics.ts";
export type { EpisodeFilter, SessionScope } from "./filters.ts";
export {
  type EventTypeTotal,
  type HourlyEvents,
  type ModelVersionActivity,
  type PipelineActivity,
  type PipelineActivityQuery,
  pipelineActivity,
} from "./pipeline.ts";
export {
  fidelitySeries,
  type QiChartKind,
  type QiMeasure,
  type QiPeriod,
  type QiPoint,
  type QiSeries,
  type QiSeriesQuery,
  qiSeriesOf,
} from "./qi-series.ts";
export {
  type ClientReadinessChange,
  DEFAULT_READINESS_MEASURE,
  type ProgrammeReadinessChange,
  type ReadinessChangeQuery,
  type ReadinessChangeSummary,
  type ReadinessMeasure,
  readinessChange,
  readinessChangeByProgramme,
} from "./readiness.ts";
export {
  DEFAULT_RETENTION_DEFINITIONS,
  FIDELITY_TIERS,
  type FidelityTier,
  NOT_CODED,
  OVERALL,
  type ProgrammeRetentionQuery,
  type RetentionComparison,
  type RetentionDefinitions,
  type RetentionGroup,
  type RetentionMilestones,
  type RetentionQuery,
  type RetentionSource,
  retentionByFidelityTier,
  retentionByProgramme,
  retentionMilestonesByProgramme,
  type TierBasis,
  type TierRetention,
} from "./retention.ts";
export {
  DEFAULT_THRESHOLDS,
  type ScoreSummaries,
  type ScoreSummary,
  SUMMARY_SCORES,
  type SummaryScore,
} from "./scores.ts";
