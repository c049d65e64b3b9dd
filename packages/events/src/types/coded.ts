import { z } from "zod";
import { count, id, required, text, timestamp } from "../primitives.ts";
import { SPEAKERS } from "./transcripts.ts";

/*
 * evoke.session.coded: services/coding's automatic MITI 4.2.1 coding of one transcript, published
 * to evoke.coded.v1. A pipeline event (ingest never accepts it from outside). Its CloudEvent id
 * is derived from the transcript event and the model version, so recoding the same transcript
 * with the same model gives the same id, and several model versions' codings live side by side.
 */

const THERAPIST = ["question", "reflection", "input", "other"] as const;
const CLIENT = ["change", "sustain", "neutral"] as const;
/** An utterance's category: the therapist's behaviour or the client's talk. */
export const CATEGORIES = [...THERAPIST, ...CLIENT] as const;
export const REFLECTIONS = ["simple", "complex"] as const;
/** The largest utterance index and behaviour count a coding may hold. */
export const MAX_CODED_COUNT = 100_000;
export const MITI = [
  "GI",
  "Persuade",
  "PersuadeWithPermission",
  "Q",
  "SR",
  "CR",
  "AF",
  "Seek",
  "EA",
  "Confront",
] as const;
const VERDICTS = ["good", "fair", "below fair", "not scored"] as const;

const rating = z
  .number({ error: required("must be a number") })
  .min(1)
  .max(5);
const nullableRatio = z.number().min(0).nullable();

export const sessionCoded = z.object({
  sessionId: id,
  clientId: id,
  therapistId: id,
  programmeId: id,
  /** The transcript event this coding is of (its CloudEvents source and id). */
  transcript: z.object({ source: text().min(1), id }),
  modelVersion: text().min(1).max(128),
  codedAt: timestamp,
  thresholds: text().min(1).max(64),
  utterances: z.array(
    z.object({
      index: count(MAX_CODED_COUNT),
      speaker: z.enum(SPEAKERS),
      category: z.enum(CATEGORIES),
      reflection: z.enum(REFLECTIONS).optional(),
      miti: z.enum(MITI).optional(),
      confidence: z.number().min(0).max(1),
    }),
  ),
  summary: z.object({
    counts: z.object({
      givingInformation: count(100_000),
      persuade: count(100_000),
      persuadeWithPermission: count(100_000),
      question: count(100_000),
      simpleReflection: count(100_000),
      complexReflection: count(100_000),
      affirm: count(100_000),
      seekingCollaboration: count(100_000),
      emphasizingAutonomy: count(100_000),
      confront: count(100_000),
    }),
    volleys: count(100_000),
    reflectionToQuestion: nullableRatio,
    percentComplexReflections: nullableRatio,
    percentChangeTalk: nullableRatio,
    totalMiAdherent: count(100_000),
    totalMiNonAdherent: count(100_000),
    globals: z.object({
      cultivatingChangeTalk: rating,
      softeningSustainTalk: rating,
      partnership: rating,
      empathy: rating,
    }),
    technical: rating,
    relational: rating,
    verdicts: z.object({
      technical: z.enum(VERDICTS),
      relational: z.enum(VERDICTS),
      percentComplexReflections: z.enum(VERDICTS),
      reflectionToQuestion: z.enum(VERDICTS),
    }),
  }),
});

export type SessionCodedData = z.output<typeof sessionCoded>;
