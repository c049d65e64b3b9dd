import { recordAnnotation, removeAnnotation } from "@evoke/db";
import { z } from "zod";
import { type Principal, seesProgramme } from "../access/principal.ts";
import { notFound, ProblemError } from "../http/problems.ts";
import { requireCapability } from "./capability.ts";
import type { DashboardDeps } from "./endpoint.ts";

/*
 * Annotations: dated notes on the QI charts ("new supervision started"), organisation-wide or
 * per programme. The form, the JSON API and the OpenAPI document share this schema.
 */

export const NewAnnotationSchema = z.object({
  programmeId: z
    .string()
    .regex(/^[A-Za-z0-9_.:~-]{1,128}$/, "must be a programme id")
    .nullable()
    .default(null)
    .describe("The programme the note is about; null: the whole organisation."),
  day: z.iso.date("must be a date as YYYY-MM-DD"),
  label: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
});

/** Adds an annotation for the principal, checking role and programme. Returns its id. */
export async function addAnnotation(
  deps: DashboardDeps,
  principal: Principal,
  input: z.infer<typeof NewAnnotationSchema>,
): Promise<string> {
  requireCapability(principal, "annotate");
  if (input.programmeId === null && principal.programmeIds !== null) {
    throw new ProblemError("forbidden", "Organisation-wide annotations need a token that sees every programme.");
  }
  if (input.programmeId !== null && !seesProgramme(principal, input.programmeId)) {
    throw notFound(`Programme "${input.programmeId}"`);
  }
  deps.cache.clear();
  return recordAnnotation(deps.db, {
    programmeId: input.programmeId,
    day: new Date(`${input.day}T00:00:00Z`),
    label: input.label,
    createdBy: principal.name,
  });
}

export async function deleteAnnotation(deps: DashboardDeps, principal: Principal, annotationId: string): Promise<void> {
  requireCapability(principal, "annotate");
  const valid = z.uuid().safeParse(annotationId).success;
  if (!valid || !(await removeAnnotation(deps.db, annotationId, principal.programmeIds))) {
    throw notFound(`Annotation "${annotationId}"`);
  }
  deps.cache.clear();
}
