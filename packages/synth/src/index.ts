export {
  DEFAULT_CLIENTS,
  DEFAULT_SEED,
  DEFAULT_SOURCE,
  type DemoClinicOptions,
  demoClinic,
  type SyntheticClinic,
  synthClinic,
} from "./clinic.ts";
export { codedDemoClinic } from "./coded.ts";
export {
  type ClinicRoster,
  clinicRoster,
  DEMO_PROGRAMMES,
  DEMO_REFRESHER_DATE,
  DEMO_THERAPISTS,
  type DemoProgramme,
  type DemoTherapist,
  type SkillLevel,
  type Topic,
} from "./roster.ts";
export {
  type EpisodeTruth,
  type GroundTruth,
  groundTruth,
  MILESTONE_DAYS,
  type ProgrammeTruth,
  type RetentionTruth,
} from "./truth.ts";
