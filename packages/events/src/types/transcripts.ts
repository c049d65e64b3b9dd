import { z } from "zod";
import { id, label, required, text } from "../primitives.ts";

export const SPEAKERS = ["therapist", "client"] as const;

/** Long enough for any spoken turn; longer is a pasted document, not an utterance. */
export const MAX_UTTERANCE_CHARACTERS = 10_000;
export const MAX_UTTERANCES = 5_000;

const milliseconds = z
  .number({ error: required("must be a number of milliseconds") })
  .int({ error: "must be a whole number of milliseconds" })
  .min(0, { error: "must not be negative" });

const utterance = z
  .object({
    speaker: z.enum(SPEAKERS, { error: required(`must be one of ${SPEAKERS.join(", ")}`) }),
    text: text()
      .min(1, { error: "must not be empty" })
      .max(MAX_UTTERANCE_CHARACTERS, { error: `must be at most ${MAX_UTTERANCE_CHARACTERS} characters` }),
    startMs: milliseconds.optional(),
    endMs: milliseconds.optional(),
  })
  .refine((turn) => turn.startMs === undefined || turn.endMs === undefined || turn.endMs >= turn.startMs, {
    path: ["endMs"],
    error: "must not be before startMs",
  });

/** evoke.transcript.submitted: a session's transcript, one entry per speaker turn. */
export const transcriptSubmitted = z.object({
  sessionId: id,
  clientId: id,
  therapistId: id,
  programmeId: id,
  language: z.string({ error: required("must be a string") }).regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
    error: required("must be a BCP 47 language tag, e.g. en or en-GB"),
  }),
  utterances: z
    .array(utterance, { error: required("must be an array of utterances") })
    .min(1, { error: "must hold at least one utterance" })
    .max(MAX_UTTERANCES, { error: `must hold at most ${MAX_UTTERANCES} utterances` }),
  changeGoal: label(200).optional().describe("The change the session works towards, e.g. 'drink less'."),
});
