import { z } from "zod";
import { id, label } from "../primitives.ts";

/** evoke.programme.registered: an MI programme (e.g. "Alcohol brief intervention, North clinic"). */
export const programmeRegistered = z.object({
  programmeId: id,
  name: label(200).describe("The programme's display name."),
});

/** evoke.therapist.registered: a clinician delivering MI in a programme. */
export const therapistRegistered = z.object({
  therapistId: id,
  programmeId: id,
  displayName: label(200).describe("How the dashboard names the clinician (staff, not client, data)."),
});
