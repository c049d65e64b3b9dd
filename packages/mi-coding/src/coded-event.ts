import { createHash } from "node:crypto";
import type { CloudEvent } from "@evoke/events";
import type { Coder } from "./coder.ts";
import type { Thresholds } from "./thresholds.ts";

/** CloudEvents `source` of everything the coding service publishes. */
export const CODING_SOURCE = "urn:evoke:coding";

/**
 * The coded event's id: the same transcript event coded by the same model version always gets
 * the same id (so a redelivered transcript is recognised downstream), and another model version
 * gets another (so both codings can be kept).
 */
export function codedEventId(
  transcript: { readonly source: string; readonly id: string },
  modelVersion: string,
): string {
  const digest = createHash("sha256").update(`${transcript.source}\n${transcript.id}\n${modelVersion}`).digest("hex");
  return `coded_${digest.slice(0, 32)}`;
}

export interface CodingSettings {
  /** The model with its sentence encoder, loaded once per process. */
  readonly coder: Coder;
  readonly thresholds: Thresholds;
  /** The thresholds' name, recorded on each coding ("manual", "lyssn"). */
  readonly thresholdsName: string;
}

/** Codes one transcript event into its `evoke.session.coded` event. */
export async function codeTranscript(
  transcript: CloudEvent<"evoke.transcript.submitted">,
  settings: CodingSettings,
  codedAt: Date,
): Promise<CloudEvent<"evoke.session.coded">> {
  const { data } = transcript;
  const coded = await settings.coder.code(
    { sessionId: data.sessionId, utterances: data.utterances },
    settings.thresholds,
  );
  return {
    specversion: "1.0",
    id: codedEventId(transcript, settings.coder.model.version),
    source: CODING_SOURCE,
    type: "evoke.session.coded",
    // The coding describes the session, so it carries the session's time, not the coder's.
    time: transcript.time,
    subject: data.clientId,
    extensions: {},
    data: {
      sessionId: data.sessionId,
      clientId: data.clientId,
      therapistId: data.therapistId,
      programmeId: data.programmeId,
      transcript: { source: transcript.source, id: transcript.id },
      modelVersion: coded.modelVersion,
      codedAt: codedAt.toISOString(),
      thresholds: settings.thresholdsName,
      utterances: coded.utterances.map((utterance) => ({ ...utterance })),
      summary: coded.summary,
    },
  };
}
