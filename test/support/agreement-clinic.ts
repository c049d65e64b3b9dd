import type { EvokeEvent } from "@evoke/events";
import type { ModelDescription } from "@evoke/mi-coding";
import { numberedEvents } from "./fixture-event.ts";

/*
 * A clinic for the coder-agreement page and endpoint, written by hand so every figure follows
 * from this file (no coder model involved): three programmes, human MITI ratings
 * (evoke.fidelity.rated) of some sessions, and automatic codings by two model versions.
 *
 * prg_alcohol  six sessions rated by a human, coded at the time by the previous model
 *              (OLD_MODEL, scores bunched in the middle) and recoded on 2026-10-20 by the
 *              new one (NEW_MODEL, close to the raters); two more coded by NEW_MODEL only,
 *              the last on 2026-10-28. Therapists alternate: thr_alc_1 has s1, s3, s5.
 * prg_smoking  four sessions rated by a human and coded by OLD_MODEL only (last 2026-10-15).
 * prg_diet     three sessions coded by NEW_MODEL, none rated by a human.
 *
 * Sessions last 40 minutes; human ratings cover 20.
 */

export const OLD_MODEL = "annomi-lr-e8def7ff33dc";
export const NEW_MODEL = "e5lr-annomi-evoke-3f9a1c2b7d4e";

/** What the test installation "has": the new model committed (default), the old one archived. */
export const KNOWN_MODELS: ModelDescription[] = [
  {
    version: NEW_MODEL,
    trainedOn: "AnnoMI train split and Evoke's written sessions (test description)",
    isDefault: true,
    encoder: "e5-small-v2-q",
  },
  {
    version: OLD_MODEL,
    trainedOn: "AnnoMI train split, 93 transcripts (test description)",
    isDefault: false,
    encoder: undefined,
  },
];

export const RECODED_AT = "2026-10-20T03:00:00.000Z";

/** One double-coded session: the human's globals (CCT, SST, partnership, empathy) and each model's Technical/Relational. */
interface Rated {
  readonly sessionId: string;
  readonly day: string;
  readonly therapistId: string;
  readonly human: readonly [number, number, number, number];
  readonly old?: readonly [number, number];
  readonly new?: readonly [number, number];
}

const ALCOHOL: readonly Rated[] = [
  {
    sessionId: "ses_a1",
    day: "2026-09-07",
    therapistId: "thr_alc_1",
    human: [2, 2, 3, 3],
    old: [3.0, 3.5],
    new: [2.2, 3.1],
  },
  {
    sessionId: "ses_a2",
    day: "2026-09-14",
    therapistId: "thr_alc_2",
    human: [3, 3, 4, 3],
    old: [3.0, 3.0],
    new: [3.1, 3.4],
  },
  {
    sessionId: "ses_a3",
    day: "2026-09-21",
    therapistId: "thr_alc_1",
    human: [4, 3, 4, 4],
    old: [3.0, 3.5],
    new: [3.4, 4.1],
  },
  {
    sessionId: "ses_a4",
    day: "2026-10-05",
    therapistId: "thr_alc_2",
    human: [4, 4, 5, 4],
    old: [3.5, 4.0],
    new: [4.1, 4.4],
  },
  {
    sessionId: "ses_a5",
    day: "2026-10-12",
    therapistId: "thr_alc_1",
    human: [2, 3, 2, 3],
    old: [3.0, 3.5],
    new: [2.4, 2.7],
  },
  {
    sessionId: "ses_a6",
    day: "2026-10-19",
    therapistId: "thr_alc_2",
    human: [5, 4, 5, 5],
    old: [3.5, 4.0],
    new: [4.4, 4.8],
  },
];

const SMOKING: readonly Rated[] = [
  { sessionId: "ses_s1", day: "2026-09-10", therapistId: "thr_smk_1", human: [3, 2, 3, 3], old: [3.0, 3.0] },
  { sessionId: "ses_s2", day: "2026-09-24", therapistId: "thr_smk_1", human: [4, 3, 4, 3], old: [3.5, 3.5] },
  { sessionId: "ses_s3", day: "2026-10-08", therapistId: "thr_smk_1", human: [3, 3, 3, 4], old: [2.5, 3.5] },
  { sessionId: "ses_s4", day: "2026-10-15", therapistId: "thr_smk_1", human: [4, 4, 4, 4], old: [3.5, 4.5] },
];

/** Automatic-only sessions: programme, day, the new model's Technical/Relational. */
const UNRATED: readonly {
  sessionId: string;
  programmeId: string;
  therapistId: string;
  day: string;
  scores: [number, number];
}[] = [
  { sessionId: "ses_a7", programmeId: "prg_alcohol", therapistId: "thr_alc_1", day: "2026-10-26", scores: [3.6, 3.9] },
  { sessionId: "ses_a8", programmeId: "prg_alcohol", therapistId: "thr_alc_2", day: "2026-10-28", scores: [3.2, 3.7] },
  { sessionId: "ses_d1", programmeId: "prg_diet", therapistId: "thr_diet_1", day: "2026-09-15", scores: [3.0, 3.5] },
  { sessionId: "ses_d2", programmeId: "prg_diet", therapistId: "thr_diet_1", day: "2026-10-01", scores: [3.8, 4.0] },
  { sessionId: "ses_d3", programmeId: "prg_diet", therapistId: "thr_diet_1", day: "2026-10-22", scores: [4.1, 4.3] },
];

/** Technical and Relational as the projection derives them from a human's globals (MITI 4.2.1). */
const humanScores = ([cct, sst, partnership, empathy]: readonly [number, number, number, number]) =>
  [(cct + sst) / 2, (partnership + empathy) / 2] as const;

/** The (automatic, human) Technical pairs of a programme for one model: what the ICC is computed from. */
export function technicalPairs(
  programme: "alcohol" | "smoking",
  model: "old" | "new",
  therapistId?: string,
): [number, number][] {
  return (programme === "alcohol" ? ALCOHOL : SMOKING)
    .filter((session) => therapistId === undefined || session.therapistId === therapistId)
    .flatMap((session) => {
      const automatic = session[model];
      return automatic === undefined ? [] : [[automatic[0], humanScores(session.human)[0]] as [number, number]];
    });
}

const event = numberedEvents("urn:test:agreement", "evt_agreement_");

const at = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, "0")}:00:00.000Z`).toISOString();
const verdict = (value: number, fair: number, good: number) =>
  value >= good ? "good" : value >= fair ? "fair" : "below fair";

interface SessionIds {
  readonly sessionId: string;
  readonly clientId: string;
  readonly therapistId: string;
  readonly programmeId: string;
}

function coded(
  ids: SessionIds,
  modelVersion: string,
  codedAt: string,
  [technical, relational]: readonly [number, number],
  index: number,
) {
  return event(
    "evoke.session.coded",
    codedAt,
    {
      ...ids,
      transcript: { source: "urn:test:agreement", id: `tr_${ids.sessionId}` },
      modelVersion,
      codedAt,
      thresholds: "manual",
      utterances: [],
      summary: {
        counts: {
          givingInformation: 3,
          persuade: 0,
          persuadeWithPermission: 1,
          question: 8 + 2 * index,
          simpleReflection: 6 + index,
          complexReflection: 4 + (index % 3),
          affirm: 2,
          seekingCollaboration: 1 + (index % 2),
          emphasizingAutonomy: 1,
          confront: 0,
        },
        volleys: 30,
        reflectionToQuestion: 1.1,
        percentComplexReflections: 45,
        percentChangeTalk: 55,
        totalMiAdherent: 5,
        totalMiNonAdherent: 0,
        globals: {
          cultivatingChangeTalk: technical,
          softeningSustainTalk: technical,
          partnership: relational,
          empathy: relational,
        },
        technical,
        relational,
        verdicts: {
          technical: verdict(technical, 3, 4),
          relational: verdict(relational, 3.5, 4),
          percentComplexReflections: "good",
          reflectionToQuestion: "fair",
        },
      },
    },
    ids.clientId,
  );
}

function attended(ids: SessionIds, day: string): EvokeEvent[] {
  return [
    event(
      "evoke.client.enrolled",
      at(day, 8),
      {
        clientId: ids.clientId,
        programmeId: ids.programmeId,
        enrolledAt: at(day, 8),
        referralSource: "gp",
        focus: "alcohol",
      },
      ids.clientId,
    ),
    event(
      "evoke.session.attended",
      at(day, 10),
      { ...ids, occurredAt: at(day, 10), durationMinutes: 40 },
      ids.clientId,
    ),
  ];
}

export function agreementClinic(): EvokeEvent[] {
  const events: EvokeEvent[] = [
    event("evoke.programme.registered", "2026-08-01T00:00:00Z", {
      programmeId: "prg_alcohol",
      name: "Alcohol brief intervention",
    }),
    event("evoke.programme.registered", "2026-08-01T00:00:00Z", {
      programmeId: "prg_smoking",
      name: "Stop smoking service",
    }),
    event("evoke.programme.registered", "2026-08-01T00:00:00Z", { programmeId: "prg_diet", name: "Healthy eating" }),
  ];
  const rated = [
    ...ALCOHOL.map((session) => ({ ...session, programmeId: "prg_alcohol" })),
    ...SMOKING.map((session) => ({ ...session, programmeId: "prg_smoking" })),
  ];
  rated.forEach((session, index) => {
    const ids = {
      sessionId: session.sessionId,
      clientId: `cli_${session.sessionId.slice(4)}`,
      therapistId: session.therapistId,
      programmeId: session.programmeId,
    };
    events.push(...attended(ids, session.day));
    if (session.old !== undefined) events.push(coded(ids, OLD_MODEL, at(session.day, 11), session.old, index));
    if (session.new !== undefined) events.push(coded(ids, NEW_MODEL, RECODED_AT, session.new, index));
    const [cct, sst, partnership, empathy] = session.human;
    events.push(
      event("evoke.fidelity.rated", at(session.day, 16), {
        sessionId: session.sessionId,
        coderId: "rater_1",
        instrument: "MITI-4.2.1",
        globals: { cultivatingChangeTalk: cct, softeningSustainTalk: sst, partnership, empathy },
        counts: {
          givingInformation: 2,
          persuade: 0,
          persuadeWithPermission: 0,
          question: 4 + index,
          simpleReflection: 3 + (index % 4),
          complexReflection: 2 + (index % 2),
          affirm: 1,
          seekingCollaboration: 1,
          emphasizingAutonomy: index % 2,
          confront: 0,
        },
        segmentMinutes: 20,
      }),
    );
  });
  UNRATED.forEach((session, index) => {
    const ids = {
      sessionId: session.sessionId,
      clientId: `cli_${session.sessionId.slice(4)}`,
      therapistId: session.therapistId,
      programmeId: session.programmeId,
    };
    events.push(...attended(ids, session.day), coded(ids, NEW_MODEL, at(session.day, 11), session.scores, index));
  });
  return events;
}
