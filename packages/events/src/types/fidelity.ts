import { z } from "zod";
import { count, id, measure, required, timestamp } from "../primitives.ts";

const globalRating = z
  .number({ error: required("must be a number from 1 to 5") })
  .int({ error: "must be a whole number from 1 to 5" })
  .min(1, { error: "must be from 1 to 5" })
  .max(5, { error: "must be from 1 to 5" });

/** MITI 4.2.1 behaviour counts; no segment plausibly holds more than this of one code. */
const behaviourCount = count(1_000);

/** The four MITI 4.2.1 global ratings, as evoke.fidelity.rated names them (FHIR linkIds too). */
export const MITI_GLOBAL_RATINGS = ["cultivatingChangeTalk", "softeningSustainTalk", "partnership", "empathy"] as const;

/** The ten MITI 4.2.1 behaviour counts, as evoke.fidelity.rated names them (FHIR linkIds too). */
export const MITI_BEHAVIOUR_COUNTS = [
  "givingInformation",
  "persuade",
  "persuadeWithPermission",
  "question",
  "simpleReflection",
  "complexReflection",
  "affirm",
  "seekingCollaboration",
  "emphasizingAutonomy",
  "confront",
] as const;

/** One field of `type` per name, keeping the names in the object's type. */
function fieldsOf<const Names extends readonly string[], T extends z.ZodType>(names: Names, type: T) {
  return Object.fromEntries(names.map((name) => [name, type])) as { [Name in Names[number]]: T };
}

/** evoke.fidelity.rated: a human coder's MITI 4.2.1 rating of a session segment. */
export const fidelityRated = z.object({
  sessionId: id,
  coderId: id,
  instrument: z.literal("MITI-4.2.1", { error: required('must be "MITI-4.2.1"') }),
  globals: z.object(fieldsOf(MITI_GLOBAL_RATINGS, globalRating)),
  counts: z.object(fieldsOf(MITI_BEHAVIOUR_COUNTS, behaviourCount)),
  segmentMinutes: measure("must be a number of minutes")
    .positive({ error: "must be more than 0" })
    .max(240, { error: "must be at most 240 minutes" }),
  ratedAt: timestamp.optional(),
});
