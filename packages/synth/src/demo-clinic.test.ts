import { type EvokeEvent, validateEvokeEvent } from "@evoke/events";
import { codedEventId } from "@evoke/mi-coding";
import { beforeAll, describe, expect, it } from "vitest";
import {
  codedDemoClinic,
  DEMO_PROGRAMMES,
  DEMO_REFRESHER_DATE,
  DEMO_THERAPISTS,
  type DemoTherapist,
  demoClinic,
  type SkillLevel,
} from "./index.ts";
import { LINES } from "./lines.ts";

const NOW = new Date("2026-03-15T12:00:00Z");
const DAY_MS = 86_400_000;
const RANK: Record<SkillLevel, number> = { "below fair": 0, fair: 1, good: 2 };
const THERAPISTS = new Map(DEMO_THERAPISTS.map((therapist) => [therapist.id, therapist]));

/** The event as it travels (extensions as top-level attributes), to validate it again. */
function wire(event: EvokeEvent): unknown {
  const { extensions, ...rest } = event;
  return JSON.parse(JSON.stringify({ ...rest, ...extensions }));
}

function problemsOf(events: readonly EvokeEvent[]): string[] {
  return events.flatMap((event) => {
    const result = validateEvokeEvent(wire(event));
    return result.ok
      ? []
      : [`${event.id}: ${result.issues.map((issue) => `${issue.field} ${issue.reason}`).join("; ")}`];
  });
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? my;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

interface ClientFacts {
  enrolledAt: number;
  therapist?: DemoTherapist;
  rulers: number[];
  attended: number;
  discharge?: string;
}

/** Per client: enrolment, therapist, readiness-item values in order, discharge reason. */
function clientsOf(events: readonly EvokeEvent[]): Map<string, ClientFacts> {
  const clients = new Map<string, ClientFacts>();
  const of = (clientId: string) => {
    const facts = clients.get(clientId);
    if (facts === undefined) throw new Error(`event before enrolment for ${clientId}`);
    return facts;
  };
  for (const event of events) {
    if (event.type === "evoke.client.enrolled") {
      clients.set(event.data.clientId, { enrolledAt: Date.parse(event.data.enrolledAt), rulers: [], attended: 0 });
    } else if (event.type === "evoke.session.scheduled") {
      of(event.data.clientId).therapist = THERAPISTS.get(event.data.therapistId);
    } else if (event.type === "evoke.session.attended") {
      of(event.data.clientId).attended += 1;
    } else if (event.type === "evoke.readiness.measured" && event.data.instrument === "readiness-ruler") {
      of(event.data.clientId).rulers.push(event.data.scores.readiness.value);
    } else if (event.type === "evoke.client.discharged") {
      of(event.data.clientId).discharge = event.data.reason;
    }
  }
  return clients;
}

/** The MI level a client met: their therapist's, after the refresher if they enrolled after it. */
function skillMet(facts: ClientFacts): number | undefined {
  const therapist = facts.therapist;
  if (therapist === undefined) return undefined;
  const refreshed = therapist.refresher && facts.enrolledAt >= DEMO_REFRESHER_DATE(NOW).getTime();
  return RANK[refreshed ? (therapist.skillAfterRefresher ?? therapist.skill) : therapist.skill];
}

/** Every `...At` timestamp in an event's data. */
function timestampsIn(event: EvokeEvent): number[] {
  return Object.entries(event.data)
    .filter(([key, value]) => key.endsWith("At") && typeof value === "string")
    .map(([, value]) => Date.parse(value as string));
}

describe("demoClinic", () => {
  const events = demoClinic({ now: NOW });
  const count = (type: EvokeEvent["type"]) => events.filter((event) => event.type === type).length;

  it("makes only events that pass the contract's validation", () => {
    expect(events.length).toBeGreaterThan(3000);
    expect(problemsOf(events)).toEqual([]);
  });

  it("is deterministic: the same seed and now give identical events, another seed another clinic", () => {
    expect(demoClinic({ now: NOW })).toEqual(events);
    const other = demoClinic({ now: NOW, seed: 7 });
    expect(other.map((event) => event.id)).not.toEqual(events.map((event) => event.id));
    expect(demoClinic({ now: NOW, seed: 7 })).toEqual(other);
  });

  it("puts nothing after now and keeps time order", () => {
    const now = NOW.getTime();
    const late = events.filter((event) => Date.parse(event.time) > now || timestampsIn(event).some((at) => at > now));
    expect(late.map((event) => event.id)).toEqual([]);
    const times = events.map((event) => Date.parse(event.time));
    expect(times.every((time, i) => i === 0 || time >= (times[i - 1] ?? time))).toBe(true);
    // About ten months of history.
    expect(now - (times[0] ?? now)).toBeGreaterThan(290 * DAY_MS);
  });

  it("holds a whole clinic: directory, enrolments, every session status, rulers, ratings, discharges", () => {
    expect(count("evoke.programme.registered")).toBe(DEMO_PROGRAMMES.length);
    expect(count("evoke.therapist.registered")).toBe(12);
    expect(count("evoke.client.enrolled")).toBe(240);
    expect(new Set(events.map((event) => `${event.source} ${event.id}`)).size).toBe(events.length);
    for (const type of ["evoke.session.missed", "evoke.session.cancelled", "evoke.fidelity.rated"] as const) {
      expect(count(type), type).toBeGreaterThan(10);
    }
    const attended = count("evoke.session.attended");
    expect(count("evoke.transcript.submitted")).toBe(attended);
    // About 5% of attended sessions are rated by a human coder.
    expect(count("evoke.fidelity.rated") / attended).toBeGreaterThan(0.03);
    expect(count("evoke.fidelity.rated") / attended).toBeLessThan(0.07);

    const clients = clientsOf(events);
    const reasons = [...clients.values()].map((facts) => facts.discharge ?? "in care");
    for (const reason of ["completed", "dropped_out", "in care"]) expect(reasons, reason).toContain(reason);
    // Clients enrolled in the last month are all still in care (censored), bar the odd transfer.
    const recent = [...clients.values()].filter((facts) => facts.enrolledAt > NOW.getTime() - 30 * DAY_MS);
    expect(recent.filter((facts) => facts.discharge === "completed")).toEqual([]);

    const tags = events.flatMap((event) => (event.type === "evoke.client.enrolled" ? (event.data.tags ?? []) : []));
    expect(tags).toContain("pilot");
    expect(tags).toContain("refresher-cohort");
  });

  it("draws on at least 15 lines per behaviour and kind of talk, for every programme", () => {
    for (const [topic, lines] of Object.entries(LINES)) {
      const pools = {
        ...lines.therapist,
        ...lines.client,
        closedQuestion: lines.closedQuestions,
        simpleReflection: Object.values(lines.reflections.simpleReflection).flat(),
        complexReflection: Object.values(lines.reflections.complexReflection).flat(),
      };
      for (const [pool, entries] of Object.entries(pools))
        expect(entries.length, `${topic} ${pool}`).toBeGreaterThanOrEqual(15);
    }
  });

  it("writes transcripts of 20-40 alternating turns, therapist first", () => {
    for (const event of events) {
      if (event.type !== "evoke.transcript.submitted") continue;
      const turns = event.data.utterances;
      expect(turns.length).toBeGreaterThanOrEqual(20);
      expect(turns.length).toBeLessThanOrEqual(40);
      expect(turns.every((turn, i) => turn.speaker === (i % 2 === 0 ? "therapist" : "client"))).toBe(true);
    }
  });

  // Pooled over three seeds, so the assertions are about the generator, not one draw.
  const pooled = [...clientsOf(events).values()].concat(
    ...[11, 12].map((seed) => [...clientsOf(demoClinic({ now: NOW, seed })).values()]),
  );

  it("measures most clients' readiness again, and its change goes with the therapist's skill", () => {
    const followed = pooled.filter((facts) => facts.rulers.length >= 2);
    const engagedLongEnough = pooled.filter(
      (facts) => facts.enrolledAt < NOW.getTime() - 60 * DAY_MS && facts.discharge !== "dropped_out",
    );
    expect(followed.length).toBeGreaterThan(0.75 * engagedLongEnough.length);
    const skill = followed.map((facts) => skillMet(facts) ?? Number.NaN);
    const change = followed.map((facts) => (facts.rulers.at(-1) ?? 0) - (facts.rulers[0] ?? 0));
    expect(pearson(skill, change)).toBeGreaterThan(0.25);
  });

  it("loses more clients, and earlier, with low-skill therapists", () => {
    // Clients enrolled over 90 days ago have had time to drop out or finish.
    const settled = pooled.filter((facts) => facts.enrolledAt < NOW.getTime() - 90 * DAY_MS);
    const dropout = (rank: number, early = false) => {
      const group = settled.filter((facts) => skillMet(facts) === rank);
      const dropped = group.filter((facts) => facts.discharge === "dropped_out" && (!early || facts.attended <= 2));
      return dropped.length / group.length;
    };
    expect(dropout(0)).toBeGreaterThan(dropout(2) + 0.2);
    expect(dropout(1)).toBeGreaterThan(dropout(2));
    expect(dropout(0)).toBeGreaterThan(dropout(1));
    // Early dropout: gone after at most two sessions.
    expect(dropout(0, true)).toBeGreaterThan(dropout(2, true) + 0.1);
  });
});

describe("codedDemoClinic", () => {
  let events: EvokeEvent[] = [];
  beforeAll(async () => {
    events = await codedDemoClinic({ now: NOW });
  }, 300_000);

  it("adds the coding service's event for each transcript, minutes later, all valid", () => {
    const transcripts = events.filter((event) => event.type === "evoke.transcript.submitted");
    const coded = events.filter((event) => event.type === "evoke.session.coded");
    expect(coded.length).toBe(transcripts.length);
    expect(problemsOf(coded)).toEqual([]);
    events.forEach((event, i) => {
      if (event.type !== "evoke.transcript.submitted") return;
      const next = events[i + 1];
      if (next?.type !== "evoke.session.coded") throw new Error(`no coding right after ${event.id}`);
      expect(next.data.transcript).toEqual({ source: event.source, id: event.id });
      expect(next.id).toBe(codedEventId(event, next.data.modelVersion));
      const delay = Date.parse(next.data.codedAt) - Date.parse(event.time);
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThanOrEqual(10 * 60_000);
      expect(Date.parse(next.data.codedAt)).toBeLessThanOrEqual(NOW.getTime());
    });
    expect(events.filter((event) => event.type !== "evoke.session.coded")).toEqual(demoClinic({ now: NOW }));
  });

  /** Mean coded score of sessions by therapists of one level (the refreshed ones before the refresher). */
  function scores(level: SkillLevel) {
    const refresherAt = DEMO_REFRESHER_DATE(NOW).getTime();
    const coded = events.flatMap((event) => {
      if (event.type !== "evoke.session.coded") return [];
      const therapist = THERAPISTS.get(event.data.therapistId);
      if (therapist?.skill !== level || (therapist.refresher && Date.parse(event.time) >= refresherAt)) return [];
      return [event.data.summary];
    });
    return {
      technical: mean(coded.map((summary) => summary.technical)),
      relational: mean(coded.map((summary) => summary.relational)),
    };
  }

  it("the shipped coder scores skilled therapists' sessions higher than low-skill ones", () => {
    const good = scores("good");
    const fair = scores("fair");
    const low = scores("below fair");
    expect(good.technical).toBeGreaterThan(fair.technical + 0.4);
    expect(fair.technical).toBeGreaterThan(low.technical + 0.3);
    expect(good.relational).toBeGreaterThan(fair.relational + 0.3);
    expect(fair.relational).toBeGreaterThan(low.relational + 0.3);
    // Each level lands in its MITI 4.2.1 band on Technical (manual thresholds: fair 3, good 4).
    expect(good.technical).toBeGreaterThanOrEqual(4);
    expect(fair.technical).toBeGreaterThanOrEqual(3);
    expect(fair.technical).toBeLessThan(4);
    expect(low.technical).toBeLessThan(3);
  });

  it("shows the MI refresher as a shift in the two refreshed therapists' coded scores", () => {
    const refresherAt = DEMO_REFRESHER_DATE(NOW).getTime();
    const refreshed = new Set(DEMO_THERAPISTS.filter((therapist) => therapist.refresher).map(({ id }) => id));
    expect(refreshed.size).toBe(2);
    const technical = (after: boolean) =>
      mean(
        events.flatMap((event) =>
          event.type === "evoke.session.coded" &&
          refreshed.has(event.data.therapistId) &&
          Date.parse(event.time) >= refresherAt === after
            ? [event.data.summary.technical]
            : [],
        ),
      );
    expect(technical(true)).toBeGreaterThan(technical(false) + 0.4);
  });
});
