import { annotationsFor, type SessionDetail, sessionDetail, therapistDirectory } from "@evoke/analytics";
import { z } from "zod";
import { can, seesProgramme } from "../access/principal.ts";
import { notFound } from "../http/problems.ts";
import { endpoint } from "./endpoint.ts";
import { filterParams, resolveScope } from "./params.ts";

/*
 * One session (codings, transcript where the role allows), the therapists, and the chart
 * annotations everyone shares.
 */

export interface SessionAnswer extends SessionDetail {
  /** False when the reader's role may not see transcript text (the codes are still there). */
  readonly textShown: boolean;
}

export const sessionEndpoint = endpoint({
  path: "/sessions/:sessionId",
  summary: "One session: its codings and transcript",
  description:
    "The session with every coding (automatic, one per model version, and human ratings), which one counts, each utterance's MI behaviour code, and the transcript text unless it has been purged (TRANSCRIPT_RETENTION_DAYS) or the token's role is not director.",
  capability: "aggregates",
  pathParams: { sessionId: "The session's id." },
  cacheable: false,
  query: z.object({}),
  load: async (context, _query, params): Promise<SessionAnswer> => {
    const sessionId = params.sessionId ?? "";
    const textShown = can(context.principal, "transcripts");
    const detail = await sessionDetail(context.db, sessionId, { withText: textShown });
    // A session of a programme the token does not see is "not found", not "forbidden": its
    // existence is not disclosed either.
    if (detail === null || !seesProgramme(context.principal, detail.programmeId))
      throw notFound(`Session "${sessionId}"`);
    return { ...detail, textShown };
  },
  // After load, so that TypeScript infers the answer's type for subject.
  audit: {
    action: "session.read",
    subject: (session) => ({
      action: session.textShown ? "transcript.read" : "session.read",
      programmeId: session.programmeId,
      sessionId: session.sessionId,
      clientId: session.clientId,
    }),
  },
});

export const therapistsEndpoint = endpoint({
  path: "/therapists",
  summary: "The therapists of your programmes",
  description: "Therapists as their registration events named them, with their programme.",
  capability: "aggregates",
  query: z.object({ programme: filterParams.programme }),
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    return therapistDirectory(context.db, scope.programmeIds);
  },
  table: (therapists) => ({
    columns: ["therapist_id", "name", "programme_id"],
    rows: therapists.map((therapist) => [therapist.therapistId, therapist.name, therapist.programmeId]),
  }),
});

export const annotationsEndpoint = endpoint({
  path: "/annotations",
  summary: "Chart annotations",
  description:
    "Notes pinned to a day on the fidelity charts (e.g. MI refresher training), for the programmes in scope and the whole organisation.",
  capability: "aggregates",
  query: z.object({ programme: filterParams.programme, from: filterParams.from, to: filterParams.to }),
  load: (context, query) => {
    const scope = resolveScope(context.principal, query);
    return annotationsFor(context.db, {
      programmeIds: scope.programmeIds,
      ...(scope.from === undefined ? {} : { from: scope.from }),
      ...(scope.before === undefined ? {} : { before: scope.before }),
    });
  },
  table: (annotations) => ({
    columns: ["annotation_id", "programme_id", "day", "label", "created_by", "created_at"],
    rows: annotations.map((a) => [a.annotationId, a.programmeId, a.day, a.label, a.createdBy, a.createdAt]),
  }),
});
