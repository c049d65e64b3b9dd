export {
  DEFAULT_CLIENTS,
  DEFAULT_SEED,
  DEFAULT_SOURCE,
  type DemoClinicOptions,
  demoClinic,
} from "./clinic.ts";
export { codedDemoClinic } from "./coded.ts";
export {
  DEMO_PROGRAMMES,
  DEMO_REFRESHER_DATE,
  DEMO_THERAPISTS,
  type DemoProgramme,
  type DemoTherapist,
  type SkillLevel,
  type Topic,
} from "./roster.ts";
