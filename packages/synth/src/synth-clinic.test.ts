import { describe, expect, it } from "vitest";
import { synthClinic } from "./clinic.ts";
import { clinicRoster } from "./roster.ts";
import { type EpisodeTruth, groundTruth } from "./truth.ts";

const DAY_MS = 86_400_000;
const NOW = new Date("2026-06-01T12:00:00Z");
const ENROLLED = Date.parse("2026-01-05T10:00:00Z");

function episode(overrides: Partial<EpisodeTruth> & Pick<EpisodeTruth, "clientId">): EpisodeTruth {
  return {
    programmeId: "prg_a",
    enrolledAt: ENROLLED,
    attended: [],
    transcripts: 0,
    humanRatings: 0,
    readiness: [],
    ...overrides,
  };
}

const day = (days: number) => ENROLLED + days * DAY_MS;

describe("groundTruth", () => {
  it("counts retention by the dashboard's definitions: dropouts, completers, other endings, unreached milestones", () => {
    const episodes = [
      // Dropped out on day 40 after attending until day 20: retained at 30, not at 60 or 90.
      episode({ clientId: "dropout", attended: [day(6), day(20)], discharge: { at: day(40), reason: "dropped_out" } }),
      // Completed on day 50: retained at every milestone.
      episode({ clientId: "completer", attended: [day(7), day(49)], discharge: { at: day(50), reason: "completed" } }),
      // Transferred on day 45: retained at 30, outcome unknown at 60 and 90.
      episode({ clientId: "transfer", attended: [day(8)], discharge: { at: day(45), reason: "transferred" } }),
      // Still in care, enrolled 70 days before asOf: retained at 30 and 60; 90 not reached.
      episode({ clientId: "recent", enrolledAt: NOW.getTime() - 70 * DAY_MS, attended: [NOW.getTime() - 60 * DAY_MS] }),
      episode({ clientId: "other", programmeId: "prg_b", attended: [day(3)] }),
    ];
    const [a, b] = groundTruth(["prg_a", "prg_b"], episodes, NOW).programmes;
    expect(a?.retention).toEqual([
      { days: 30, retained: 4, of: 4 },
      { days: 60, retained: 2, of: 3 },
      { days: 90, retained: 1, of: 2 },
    ]);
    expect(a?.clients).toBe(4);
    expect(a?.sessionsAttended).toBe(6);
    expect(b?.clients).toBe(1);
  });

  it("averages latest minus first readiness over clients measured at least twice", () => {
    const episodes = [
      episode({ clientId: "up", readiness: [3, 5, 8] }),
      episode({ clientId: "down", readiness: [6, 4] }),
      episode({ clientId: "once", readiness: [7] }),
    ];
    expect(groundTruth(["prg_a"], episodes, NOW).programmes[0]?.readinessChange).toEqual({ n: 2, mean: 1.5 });
  });
});

describe("clinicRoster", () => {
  it("keeps the demo's three programmes first and staffs further sites like their topic's first", () => {
    const roster = clinicRoster(5);
    expect(roster.programmes.map((programme) => programme.id)).toEqual([
      "prg_alcohol",
      "prg_smoking",
      "prg_diet",
      "prg_alcohol_2",
      "prg_smoking_2",
    ]);
    expect(roster.therapists).toHaveLength(20);
    expect(new Set(roster.therapists.map((therapist) => therapist.id)).size).toBe(20);
    const skills = (programmeId: string) =>
      roster.therapists
        .filter((therapist) => therapist.programmeId === programmeId)
        .map((therapist) => therapist.skill);
    expect(skills("prg_alcohol_2")).toEqual(skills("prg_alcohol"));
    expect(() => clinicRoster(0)).toThrow(/programmes must be/);
  });
});

describe("synthClinic", () => {
  it("spreads clients over the programmes and months asked for, with ids carrying the prefix", () => {
    const clinic = synthClinic({ programmes: 4, clients: 200, months: 4, seed: 3, idPrefix: "s3", now: NOW });
    const programmes = new Set(clinic.episodes.map((episode) => episode.programmeId));
    expect(programmes).toEqual(new Set(["prg_alcohol", "prg_smoking", "prg_diet", "prg_alcohol_2"]));
    const earliest = Math.min(...clinic.events.map((event) => Date.parse(event.time)));
    expect(NOW.getTime() - earliest).toBeLessThanOrEqual(4 * 30.5 * DAY_MS + DAY_MS);
    expect(clinic.events.filter((event) => event.type === "evoke.client.enrolled")).toHaveLength(200);
    expect(clinic.episodes.every((episode) => episode.clientId.startsWith("cli_s3_"))).toBe(true);
    expect(
      clinic.events.every(
        (event) =>
          event.id.startsWith("evt_s3_") ||
          event.id.startsWith("evt_demo_prg_") ||
          event.id.startsWith("evt_demo_thr_"),
      ),
    ).toBe(true);
  });

  it("tallies in its truth exactly the events it wrote", () => {
    const clinic = synthClinic({ clients: 150, seed: 5, now: NOW });
    const count = (type: string) => clinic.events.filter((event) => event.type === type).length;
    const sum = (of: (episode: EpisodeTruth) => number) => clinic.episodes.reduce((total, e) => total + of(e), 0);
    expect(sum((episode) => episode.attended.length)).toBe(count("evoke.session.attended"));
    expect(sum((episode) => episode.transcripts)).toBe(count("evoke.transcript.submitted"));
    expect(sum((episode) => episode.humanRatings)).toBe(count("evoke.fidelity.rated"));
    expect(sum((episode) => episode.readiness.length)).toBe(count("evoke.readiness.measured"));
    expect(clinic.episodes.filter((episode) => episode.discharge !== undefined)).toHaveLength(
      count("evoke.client.discharged"),
    );
  });

  it("ties readiness change to the therapist's skill by `effect`: none at 0, clear at 1", () => {
    // The same clients (same seed): only the strength of the dependence differs.
    const gainBySkill = (effect: number) => {
      const clinic = synthClinic({ clients: 1_500, seed: 9, effect, now: NOW });
      const therapistOf = new Map<string, string>();
      for (const event of clinic.events)
        if (event.type === "evoke.session.attended") {
          const data = event.data as { clientId: string; therapistId: string };
          therapistOf.set(data.clientId, data.therapistId);
        }
      const skillOf = new Map(clinic.roster.therapists.map((therapist) => [therapist.id, therapist.skill]));
      const gains = (skill: string) => {
        const values = clinic.episodes.flatMap((episode) => {
          const therapist = therapistOf.get(episode.clientId);
          const first = episode.readiness[0];
          const latest = episode.readiness.at(-1);
          return therapist !== undefined && skillOf.get(therapist) === skill && episode.readiness.length >= 2
            ? [(latest ?? 0) - (first ?? 0)]
            : [];
        });
        return values.reduce((sum, value) => sum + value, 0) / values.length;
      };
      return gains("good") - gains("below fair");
    };
    expect(gainBySkill(1)).toBeGreaterThan(1.2);
    expect(Math.abs(gainBySkill(0))).toBeLessThan(0.4);
  });
});
