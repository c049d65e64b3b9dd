import type { EvokeEvent } from "@evoke/events";
import {
  type Coder,
  codeTranscript,
  createCoder,
  loadCoder,
  parseModel,
  serializeModel,
  THRESHOLD_PRESETS,
} from "@evoke/mi-coding";
import { fixtureEvent } from "./fixture-event.ts";

/*
 * A small, deterministic clinic's worth of valid events of every type (team-written text, no
 * AnnoMI), for the aggregation tests: programmes, therapists, enrolments, sessions in every
 * status, discharges, readiness rulers, transcripts with automatic codings (two model versions
 * for some) and human ratings.
 */

const THERAPIST_LINES = [
  "What would you like to talk about today?",
  "You're worried about how much you've been drinking.",
  "Part of you wants to change and part of you enjoys it.",
  "Would it be okay if I shared some information?",
  "The guideline is fourteen units a week.",
];
const CLIENT_LINES = [
  "I want to cut down.",
  "I like a drink after work.",
  "Yeah.",
  "My kids have noticed.",
  "I don't know.",
];

const event = (type: string, id: string, time: string, data: Record<string, unknown>, subject?: string) =>
  fixtureEvent({ id, source: "urn:test:clinic", type, time, subject, data });

const day = (offset: number, hour = 9) => new Date(Date.UTC(2026, 0, 5 + offset, hour)).toISOString();

export interface ClinicEvents {
  readonly events: EvokeEvent[];
  /** Facts the tests check the tables against. */
  readonly expected: {
    programmes: number;
    therapists: number;
    clients: number;
    sessions: number;
    attended: number;
    humanRated: number;
    coded: number;
    discharged: number;
  };
}

export async function clinicEvents(coder: Coder, otherCoder: Coder, clientCount = 12): Promise<ClinicEvents> {
  const events: EvokeEvent[] = [];
  let attended = 0;
  let humanRated = 0;
  let coded = 0;
  let discharged = 0;
  let sessions = 0;
  const programmes = ["prg_a", "prg_b"];
  const therapists = ["thr_1", "thr_2", "thr_3", "thr_4"];
  programmes.forEach((programmeId, p) => {
    events.push(
      event("evoke.programme.registered", `reg_${programmeId}`, day(0), { programmeId, name: `Programme ${p + 1}` }),
    );
    // A renaming with a later time: whatever the order, the later name wins.
    events.push(
      event("evoke.programme.registered", `rename_${programmeId}`, day(30), {
        programmeId,
        name: `Programme ${p + 1} (renamed)`,
      }),
    );
  });
  therapists.forEach((therapistId, t) => {
    events.push(
      event("evoke.therapist.registered", `reg_${therapistId}`, day(0), {
        therapistId,
        programmeId: programmes[t % 2],
        displayName: `Therapist ${t + 1}`,
      }),
    );
  });
  for (let c = 0; c < clientCount; c += 1) {
    const clientId = `cli_${c}`;
    const programmeId = programmes[c % 2] as string;
    const therapistId = therapists[c % 4] as string;
    events.push(
      event(
        "evoke.client.enrolled",
        `enr_${c}`,
        day(c % 5),
        {
          clientId,
          programmeId,
          enrolledAt: day(c % 5),
          referralSource: c % 3 === 0 ? "gp" : "self",
          focus: "alcohol",
          tags: c % 2 === 0 ? ["pilot"] : [],
        },
        clientId,
      ),
    );
    events.push(
      event(
        "evoke.readiness.measured",
        `rr_first_${c}`,
        day(c % 5),
        {
          clientId,
          programmeId,
          measuredAt: day(c % 5),
          instrument: "readiness-ruler",
          scores: { importance: { value: 4 + (c % 4) }, confidence: { value: 3 }, readiness: { value: 2 + (c % 5) } },
        },
        clientId,
      ),
    );
    const sessionCount = 3 + (c % 3);
    for (let s = 0; s < sessionCount; s += 1) {
      const sessionId = `ses_${c}_${s}`;
      const scheduledAt = day((c % 5) + 7 * (s + 1));
      sessions += 1;
      events.push(
        event(
          "evoke.session.scheduled",
          `sch_${c}_${s}`,
          day((c % 5) + 7 * s),
          { sessionId, clientId, therapistId, programmeId, scheduledAt },
          clientId,
        ),
      );
      const outcome = (c + s) % 5;
      if (outcome === 3) {
        events.push(
          event(
            "evoke.session.missed",
            `mis_${c}_${s}`,
            scheduledAt,
            { sessionId, clientId, programmeId, scheduledAt },
            clientId,
          ),
        );
      } else if (outcome === 4) {
        events.push(
          event(
            "evoke.session.cancelled",
            `can_${c}_${s}`,
            day((c % 5) + 7 * s + 2),
            { sessionId, clientId, programmeId, cancelledBy: "client" },
            clientId,
          ),
        );
      } else {
        attended += 1;
        events.push(
          event(
            "evoke.session.attended",
            `att_${c}_${s}`,
            scheduledAt,
            { sessionId, clientId, therapistId, programmeId, occurredAt: scheduledAt, durationMinutes: 45 },
            clientId,
          ),
        );
        const utterances = Array.from({ length: 6 }, (_, u) => ({
          speaker: u % 2 === 0 ? "therapist" : "client",
          text:
            u % 2 === 0
              ? (THERAPIST_LINES[(c + s + u) % THERAPIST_LINES.length] as string)
              : (CLIENT_LINES[(c * s + u) % CLIENT_LINES.length] as string),
        }));
        const transcript = event(
          "evoke.transcript.submitted",
          `tr_${c}_${s}`,
          scheduledAt,
          { sessionId, clientId, therapistId, programmeId, language: "en", utterances },
          clientId,
        );
        events.push(transcript);
        if (transcript.type !== "evoke.transcript.submitted") throw new Error("unreachable");
        const codedAt = (offset: number) => new Date(Date.parse(scheduledAt) + offset * 60_000);
        events.push(
          (await codeTranscript(
            transcript,
            { coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" },
            codedAt(5),
          )) as EvokeEvent,
        );
        coded += 1;
        if (s === 0) {
          // Recoded later with another model version: both kept, the later one counts.
          events.push(
            (await codeTranscript(
              transcript,
              { coder: otherCoder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" },
              codedAt(60),
            )) as EvokeEvent,
          );
        }
        if (s === 1 && c % 2 === 0) {
          humanRated += 1;
          events.push(
            event("evoke.fidelity.rated", `hum_${c}_${s}`, day((c % 5) + 7 * (s + 1) + 1), {
              sessionId,
              coderId: "coder_1",
              instrument: "MITI-4.2.1",
              globals: { cultivatingChangeTalk: 4, softeningSustainTalk: 3, partnership: 4, empathy: 5 },
              counts: {
                givingInformation: 2,
                persuade: 0,
                persuadeWithPermission: 1,
                question: 6,
                simpleReflection: 4,
                complexReflection: 6,
                affirm: 2,
                seekingCollaboration: 1,
                emphasizingAutonomy: 1,
                confront: 0,
              },
              segmentMinutes: 20,
            }),
          );
        }
      }
    }
    events.push(
      event(
        "evoke.readiness.measured",
        `rr_last_${c}`,
        day((c % 5) + 40),
        {
          clientId,
          programmeId,
          measuredAt: day((c % 5) + 40),
          instrument: "readiness-ruler",
          scores: { importance: { value: 8 }, confidence: { value: 5 + (c % 3) }, readiness: { value: 6 + (c % 4) } },
        },
        clientId,
      ),
    );
    if (c % 3 === 0) {
      discharged += 1;
      events.push(
        event(
          "evoke.client.discharged",
          `dis_${c}`,
          day((c % 5) + 50),
          { clientId, programmeId, dischargedAt: day((c % 5) + 50), reason: c % 2 === 0 ? "completed" : "dropped_out" },
          clientId,
        ),
      );
    }
  }
  return {
    events,
    expected: { programmes: 2, therapists: 4, clients: clientCount, sessions, attended, humanRated, coded, discharged },
  };
}

/** The clinic's events coded by the shipped model and by a second model version (a copy under another name). */
export async function clinicHistory(clientCount?: number): Promise<ClinicEvents> {
  const coder = await loadCoder();
  const model = coder.model;
  const other = parseModel(serializeModel({ ...model, trainedOn: `${model.trainedOn} (other)` }).json);
  const otherCoder = await createCoder(other, {
    ...(coder.encoder === undefined ? {} : { shareEncoder: coder.encoder }),
  });
  try {
    return await clinicEvents(coder, otherCoder, clientCount);
  } finally {
    await otherCoder.close();
    await coder.close();
  }
}

/** A deterministic shuffle (seeded), for proving arrival order does not matter. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
