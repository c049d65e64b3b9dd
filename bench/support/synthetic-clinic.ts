import { type EvokeEvent, validateEvokeEvent } from "@evoke/events";

/*
 * A synthetic clinic's event stream for the benchmarks: deterministic (seeded), valid against
 * the contract, and mixed as a real one is: per client an enrolment, readiness rulers at the
 * start and end, 3 to 9 weekly sessions (70% attended, each with a 40-turn transcript and its
 * automatic coding; 20% missed; 10% cancelled), and for half of them a discharge.
 */

let seed = 20_261_125;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const LINES = [
  "What would you like to talk about today?",
  "You're worried about how much you've been drinking lately.",
  "Part of you wants to change and part of you enjoys it.",
  "I want to cut down before it gets any worse.",
  "My kids have started to notice, and that bothers me.",
  "I like a drink after work, it helps me switch off.",
];
const MITI = ["GI", "Q", "SR", "CR", "AF", "Seek", "EA"] as const;

function valid(candidate: Record<string, unknown>): EvokeEvent {
  const result = validateEvokeEvent(candidate);
  if (!result.ok) throw new Error(`bench event invalid: ${JSON.stringify(result.issues)}`);
  return result.event;
}

export function syntheticClinic(clients: number): EvokeEvent[] {
  const events: EvokeEvent[] = [];
  const base = Date.parse("2025-01-01T00:00:00Z");
  const at = (day: number) => new Date(base + day * 86_400_000).toISOString();
  let id = 0;
  const event = (type: string, time: string, data: Record<string, unknown>, subject?: string) => {
    id += 1;
    events.push(
      valid({
        specversion: "1.0",
        id: `bench_${id}`,
        source: "urn:bench:intake",
        type,
        time,
        ...(subject === undefined ? {} : { subject }),
        data,
      }),
    );
  };
  for (let c = 0; c < clients; c += 1) {
    const clientId = `cli_${c}`;
    const programmeId = `prg_${c % 10}`;
    const therapistId = `thr_${c % 200}`;
    const start = Math.floor(random() * 600);
    event(
      "evoke.client.enrolled",
      at(start),
      { clientId, programmeId, enrolledAt: at(start), referralSource: pick(["gp", "self", "court"]) },
      clientId,
    );
    const ruler = (day: number) =>
      event(
        "evoke.readiness.measured",
        at(day),
        {
          clientId,
          programmeId,
          measuredAt: at(day),
          instrument: "readiness-ruler",
          scores: {
            importance: { value: Math.floor(random() * 11) },
            confidence: { value: Math.floor(random() * 11) },
            readiness: { value: Math.floor(random() * 11) },
          },
        },
        clientId,
      );
    ruler(start);
    const sessions = 3 + Math.floor(random() * 7);
    for (let s = 0; s < sessions; s += 1) {
      const sessionId = `ses_${c}_${s}`;
      const day = start + 7 * (s + 1);
      event(
        "evoke.session.scheduled",
        at(day - 7),
        { sessionId, clientId, therapistId, programmeId, scheduledAt: at(day) },
        clientId,
      );
      const outcome = random();
      if (outcome < 0.2) {
        event("evoke.session.missed", at(day), { sessionId, clientId, programmeId, scheduledAt: at(day) }, clientId);
      } else if (outcome < 0.3) {
        event(
          "evoke.session.cancelled",
          at(day),
          { sessionId, clientId, programmeId, cancelledBy: "client" },
          clientId,
        );
      } else {
        event(
          "evoke.session.attended",
          at(day),
          { sessionId, clientId, therapistId, programmeId, occurredAt: at(day), durationMinutes: 50 },
          clientId,
        );
        const utterances = Array.from({ length: 40 }, (_, u) => ({
          speaker: u % 2 === 0 ? "therapist" : "client",
          text: pick(LINES),
        }));
        event(
          "evoke.transcript.submitted",
          at(day),
          { sessionId, clientId, therapistId, programmeId, language: "en", utterances },
          clientId,
        );
        const technical = 1 + Math.floor(random() * 9) / 2;
        const relational = 1 + Math.floor(random() * 9) / 2;
        event(
          "evoke.session.coded",
          at(day),
          {
            sessionId,
            clientId,
            therapistId,
            programmeId,
            transcript: { source: "urn:bench:intake", id: `bench_${id}` },
            modelVersion: "bench-model",
            codedAt: at(day),
            thresholds: "manual",
            utterances: utterances.map((utterance, index) =>
              utterance.speaker === "therapist"
                ? { index, speaker: "therapist", category: "question", miti: pick(MITI), confidence: 0.8 }
                : { index, speaker: "client", category: "neutral", confidence: 0.7 },
            ),
            summary: {
              counts: {
                givingInformation: 3,
                persuade: 0,
                persuadeWithPermission: 1,
                question: 8,
                simpleReflection: 4,
                complexReflection: 4,
                affirm: 2,
                seekingCollaboration: 1,
                emphasizingAutonomy: 1,
                confront: 0,
              },
              volleys: 20,
              reflectionToQuestion: 1,
              percentComplexReflections: 50,
              percentChangeTalk: 55,
              totalMiAdherent: 4,
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
                technical: "fair",
                relational: "fair",
                percentComplexReflections: "good",
                reflectionToQuestion: "fair",
              },
            },
          },
          clientId,
        );
      }
    }
    ruler(start + 7 * sessions);
    if (random() < 0.5) {
      const day = start + 7 * sessions + 1;
      event(
        "evoke.client.discharged",
        at(day),
        { clientId, programmeId, dischargedAt: at(day), reason: pick(["completed", "dropped_out"]) },
        clientId,
      );
    }
  }
  return events;
}
