import { z } from "zod";
import { count, id, required, text, timestamp } from "../primitives.ts";

/*
 * evoke.session.coded: services/coding's automatic MITI 4.2.1 coding of one transcript, published
 * to evoke.coded.v1. A pipeline event (ingest never accepts it from outside). Its CloudEvent id
 * is derived from the transcript event and the model version, so recoding the same transcript
 * with the same model gives the same id, and several model versions' codings live side by side.
 */

const THERAPIST = ["question", "reflection", "input", "other"] as const;
const CLIENT = ["change", "sustain", "neutral"] as const;
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
      index: count(100_000),
      speaker: z.enum(["therapist", "client"]),
      category: z.enum([...THERAPIST, ...CLIENT]),
      reflection: z.enum(["simple", "complex"]).optional(),
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
