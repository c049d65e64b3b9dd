import { z } from "zod";
import { id, measure, plannedTimestamp, required, timestamp } from "../primitives.ts";

export const CANCELLED_BY = ["client", "clinic"] as const;

/** evoke.session.scheduled */
export const sessionScheduled = z.object({
  sessionId: id,
  clientId: id,
  therapistId: id,
  programmeId: id,
  /** A booking: it may lie ahead, unlike every other time (see time-limits.ts). */
  scheduledAt: plannedTimestamp,
});

/** evoke.session.attended: the session took place. */
export const sessionAttended = z.object({
  sessionId: id,
  clientId: id,
  therapistId: id,
  programmeId: id,
  occurredAt: timestamp,
  durationMinutes: measure("must be a number of minutes")
    .positive({ error: "must be more than 0" })
    .max(600, { error: "must be at most 600 minutes" })
    .optional(),
});

/** evoke.session.missed: the client did not attend (no-show). */
export const sessionMissed = z.object({
  sessionId: id,
  clientId: id,
  programmeId: id,
  scheduledAt: timestamp,
  therapistId: id.optional(),
});

/** evoke.session.cancelled: cancelled in advance, by the client or the clinic. */
export const sessionCancelled = z.object({
  sessionId: id,
  clientId: id,
  programmeId: id,
  cancelledBy: z.enum(CANCELLED_BY, { error: required(`must be one of ${CANCELLED_BY.join(", ")}`) }),
  cancelledAt: timestamp.optional(),
});
