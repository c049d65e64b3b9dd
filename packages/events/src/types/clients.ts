import { z } from "zod";
import { id, label, required, timestamp } from "../primitives.ts";

export const DISCHARGE_REASONS = ["completed", "dropped_out", "transferred", "administrative"] as const;

/** evoke.client.enrolled: the start of an episode of care in a programme. */
export const clientEnrolled = z.object({
  clientId: id,
  programmeId: id,
  enrolledAt: timestamp,
  referralSource: label(100).optional().describe("Where the referral came from, e.g. 'gp', 'self', 'court'."),
  focus: label(50).optional().describe("The target behaviour, e.g. alcohol, opioids, smoking, diet, adherence."),
  tags: z
    .array(label(50), { error: required("must be an array of strings") })
    .max(20, { error: "must have at most 20 tags" })
    .optional()
    .describe("Cohort labels the clinic uses, e.g. 'pilot-2026'."),
});

/** evoke.client.discharged: the end of an episode of care, and why. */
export const clientDischarged = z.object({
  clientId: id,
  programmeId: id,
  dischargedAt: timestamp,
  reason: z
    .enum(DISCHARGE_REASONS, { error: required(`must be one of ${DISCHARGE_REASONS.join(", ")}`) })
    .describe("completed | dropped_out | transferred | administrative"),
});
