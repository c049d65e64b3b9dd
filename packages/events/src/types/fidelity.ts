import { z } from "zod";
import { count, id, measure, required, timestamp } from "../primitives.ts";

const globalRating = z
  .number({ error: required("must be a number from 1 to 5") })
  .int({ error: "must be a whole number from 1 to 5" })
  .min(1, { error: "must be from 1 to 5" })
  .max(5, { error: "must be from 1 to 5" });

/** MITI 4.2.1 behaviour counts; no segment plausibly holds more than this of one code. */
const behaviourCount = count(1_000);

/** evoke.fidelity.rated: a human coder's MITI 4.2.1 rating of a session segment. */
export const fidelityRated = z.object({
  sessionId: id,
  coderId: id,
  instrument: z.literal("MITI-4.2.1", { error: required('must be "MITI-4.2.1"') }),
  globals: z.object({
    cultivatingChangeTalk: globalRating,
    softeningSustainTalk: globalRating,
    partnership: globalRating,
    empathy: globalRating,
  }),
  counts: z.object({
    givingInformation: behaviourCount,
    persuade: behaviourCount,
    persuadeWithPermission: behaviourCount,
    question: behaviourCount,
    simpleReflection: behaviourCount,
    complexReflection: behaviourCount,
    affirm: behaviourCount,
    seekingCollaboration: behaviourCount,
    emphasizingAutonomy: behaviourCount,
    confront: behaviourCount,
  }),
  segmentMinutes: measure("must be a number of minutes")
    .positive({ error: "must be more than 0" })
    .max(240, { error: "must be at most 240 minutes" }),
  ratedAt: timestamp.optional(),
});
