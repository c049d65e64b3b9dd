import { type EvokeEvent, validateEvokeEvent } from "@evoke/events";
import { behaviourWeights, dialogue } from "./dialogue.ts";
import { type Random, streamFor } from "./random.ts";
import {
  type ClinicRoster,
  clinicRoster,
  DAY_MS,
  DEMO_REFRESHER_DATE,
  type DemoProgramme,
  dayOf,
  levelAt,
  type TherapistSetting,
  type Topic,
} from "./roster.ts";
import type { EpisodeTruth } from "./truth.ts";

export interface DemoClinicOptions {
  /** How many clients enrol over the period (default 240). */
  readonly clients?: number;
  /** Same seed and `now` give identical events, ids included (default DEFAULT_SEED). */
  readonly seed?: number;
  /** The end of the history, which spans the ~10 months before it (default: the current time). */
  readonly now?: Date;
  /** CloudEvents `source` of every intake event (default "urn:evoke:demo-clinic"). */
  readonly source?: string;
  /** How many programmes (default 3): the demo's three, then the same topics at further sites. */
  readonly programmes?: number;
  /** How many months of history before `now` (default 10). */
  readonly months?: number;
  /**
   * How strongly outcomes follow the therapist's MI (default 1: the demo's clear effect). 0: not
   * at all; 0.3-0.5 is nearer the small associations the literature finds.
   */
  readonly effect?: number;
  /**
   * In every client, session and event id (default "demo": `cli_demo_0001`): seeding another
   * clinic beside one already sent needs another prefix, or ingest takes its events as resends.
   */
  readonly idPrefix?: string;
}

/** A generated clinic: its events in time order, and what really happened, for ground truth. */
export interface SyntheticClinic {
  readonly events: EvokeEvent[];
  readonly roster: ClinicRoster;
  readonly episodes: readonly EpisodeTruth[];
  readonly now: Date;
}

export const DEFAULT_SEED = 20_260_301;
export const DEFAULT_SOURCE = "urn:evoke:demo-clinic";
export const DEFAULT_CLIENTS = 240;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A session's events (through its transcript's coding) must all be in the past to be shown. */
const SESSION_SETTLES_MS = 3 * HOUR_MS;

/** How the demo's clients divide between its three programmes; further programmes take equal shares. */
const PROGRAMME_SHARE: Record<Topic, number> = { alcohol: 0.38, smoking: 0.34, diet: 0.28 };

/**
 * The level of MI practice at which `effect` leaves outcomes where they are: outcomes depend on
 * REFERENCE_LEVEL + effect × (level − REFERENCE_LEVEL), near the clinic's average level.
 */
const REFERENCE_LEVEL = 0.4;

const REFERRALS: Record<Topic, Readonly<Record<string, number>>> = {
  alcohol: { gp: 0.42, self: 0.2, court: 0.2, hospital: 0.18 },
  smoking: { gp: 0.5, self: 0.3, hospital: 0.2 },
  diet: { gp: 0.64, self: 0.26, hospital: 0.1 },
};

const CODERS = ["coder_demo_1", "coder_demo_2", "coder_demo_3"];

interface Context {
  readonly seed: number;
  readonly now: number;
  readonly source: string;
  /** Midnight UTC of the first day of the history. */
  readonly start: number;
  readonly refresherAt: number;
  readonly historyDays: number;
  readonly width: number;
  readonly roster: ClinicRoster;
  /** Each programme's share of the clients. */
  readonly shares: Readonly<Record<string, number>>;
  readonly effect: number;
  readonly prefix: string;
  readonly events: EvokeEvent[];
  readonly episodes: EpisodeTruth[];
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const iso = (time: number) => new Date(time).toISOString();

/** Moves a midnight-UTC day off the weekend: forward to Monday, or back to Friday. */
function weekday(day: number, direction: 1 | -1): number {
  let moved = day;
  for (let weekdayOf = new Date(moved).getUTCDay(); weekdayOf === 0 || weekdayOf === 6; ) {
    moved += direction * DAY_MS;
    weekdayOf = new Date(moved).getUTCDay();
  }
  return moved;
}

function emit(
  context: Context,
  type: EvokeEvent["type"],
  id: string,
  time: number,
  data: Record<string, unknown>,
  subject?: string,
): void {
  const result = validateEvokeEvent({
    specversion: "1.0",
    id,
    source: context.source,
    type,
    time: iso(time),
    ...(subject === undefined ? {} : { subject }),
    data,
  });
  // The generator's own bug if this fires: every event it writes must meet the contract.
  if (!result.ok) throw new Error(`demo clinic made an invalid ${type} (${id}): ${JSON.stringify(result.issues)}`);
  context.events.push(result.event);
}

function registerDirectory(context: Context): void {
  const registeredAt = context.start + 9 * HOUR_MS;
  for (const programme of context.roster.programmes) {
    emit(context, "evoke.programme.registered", `evt_demo_${programme.id}`, registeredAt, {
      programmeId: programme.id,
      name: programme.name,
    });
  }
  for (const therapist of context.roster.therapists) {
    emit(context, "evoke.therapist.registered", `evt_demo_${therapist.id}`, registeredAt + 30 * MINUTE_MS, {
      therapistId: therapist.id,
      programmeId: therapist.programmeId,
      displayName: therapist.displayName,
    });
  }
}

interface Ruler {
  readonly importance: number;
  readonly confidence: number;
  readonly readiness: number;
}

const rulerItems = (ruler: Ruler) => ({
  importance: { value: ruler.importance, min: 0, max: 10 },
  confidence: { value: ruler.confidence, min: 0, max: 10 },
  readiness: { value: ruler.readiness, min: 0, max: 10 },
});

/** A readiness ruler item: a whole number on 0-10. */
const item = (value: number) => Math.round(clamp(value, 0, 10));

/**
 * A human coder's MITI 4.2.1 rating of a 20-minute segment, near the therapist's level: the
 * globals rise with it, and the counts follow the same behaviour mix the transcripts do.
 */
function humanRating(random: Random, level: number) {
  const band = level ** 0.6; // coders separate "poor" from "fair" more than the raw level does
  const global = (base: number) => Math.round(clamp(base + 3 * band + random.normal(0, 0.45), 1, 5));
  const weights = behaviourWeights(level);
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  const volleys = Math.round(random.normal(24, 3));
  const count = (...parts: number[]) => {
    const expected = (volleys * parts.reduce((sum, part) => sum + part, 0)) / total;
    return Math.max(0, Math.round(expected + random.normal(0, Math.sqrt(expected + 0.25))));
  };
  const advice = count(weights.persuasion);
  const withPermission = Math.round(advice * clamp(level + random.normal(0, 0.1), 0, 1));
  return {
    globals: {
      cultivatingChangeTalk: global(1.8),
      softeningSustainTalk: global(1.7),
      partnership: global(2),
      empathy: global(2.1),
    },
    counts: {
      givingInformation: count(weights.givingInformation),
      persuade: advice - withPermission,
      persuadeWithPermission: withPermission,
      question: count(weights.openQuestion, weights.closedQuestion),
      simpleReflection: count(weights.simpleReflection),
      complexReflection: count(weights.complexReflection),
      affirm: count(weights.affirmation),
      seekingCollaboration: count(weights.seekCollaboration),
      emphasizingAutonomy: count(weights.autonomy),
      confront: count(weights.confrontation),
    },
  };
}

/** One client's episode of care: enrolment, rulers, weekly sessions, and (if it has ended) discharge. */
function clientHistory(context: Context, index: number): void {
  const random = streamFor(context.seed, index + 1);
  const number = String(index + 1).padStart(context.width, "0");
  const clientId = `cli_${context.prefix}_${number}`;
  const eventId = (what: string) => `evt_${context.prefix}_${number}_${what}`;
  const programmeId = random.weighted(context.shares);
  const programme = context.roster.programmes.find((candidate) => candidate.id === programmeId) as DemoProgramme;
  const topic = programme.focus;
  const therapist = random.pick(
    context.roster.therapists.filter((candidate) => candidate.programmeId === programmeId),
  ) as TherapistSetting;
  const therapistId = therapist.id;

  // Enrolments spread over the period, from ten days in to the day before `now`.
  const lastDay = dayOf(new Date(context.now)) - DAY_MS;
  const enrolDay = weekday(context.start + random.int(10, context.historyDays - 1) * DAY_MS, -1);
  const enrolledAt = Math.min(
    enrolDay + random.int(9 * 12, 16 * 12) * 5 * MINUTE_MS,
    lastDay + 16 * HOUR_MS,
    context.now - HOUR_MS,
  );
  const truth: EpisodeTruth = {
    clientId,
    programmeId,
    enrolledAt,
    attended: [],
    transcripts: 0,
    humanRatings: 0,
    readiness: [],
  };
  context.episodes.push(truth);
  const evening = random.chance(0.15);
  const tags = [
    ...(enrolledAt < context.start + 100 * DAY_MS && random.chance(0.6) ? ["pilot"] : []),
    ...(therapist.refresher && enrolledAt >= context.refresherAt ? ["refresher-cohort"] : []),
    ...(evening ? ["evening-clinic"] : []),
  ];
  emit(
    context,
    "evoke.client.enrolled",
    eventId("enrolled"),
    enrolledAt,
    {
      clientId,
      programmeId,
      enrolledAt: iso(enrolledAt),
      referralSource: random.weighted(REFERRALS[topic]),
      focus: topic,
      tags,
    },
    clientId,
  );

  // Readiness at intake, driven by one underlying motivation; and where it would be after
  // ~6 weeks of MI at this therapist's level (plus noise): better MI, more change.
  const motivation = random.normal(0, 1);
  const baseline: Ruler = {
    importance: item(6 + 1.8 * motivation + random.normal(0, 1.2)),
    confidence: item(4.5 + 1.2 * motivation + random.normal(0, 1.5)),
    readiness: item(5 + 1.6 * motivation + random.normal(0, 1.2)),
  };
  const measuredAt = enrolledAt + 25 * MINUTE_MS;
  if (measuredAt <= context.now) {
    truth.readiness.push(baseline.readiness);
    emit(
      context,
      "evoke.readiness.measured",
      eventId("ruler_intake"),
      measuredAt,
      {
        clientId,
        programmeId,
        measuredAt: iso(measuredAt),
        instrument: "readiness-ruler",
        scores: rulerItems(baseline),
      },
      clientId,
    );
  }
  const effectiveLevel = outcomeLevel(context, levelAt(therapist, enrolledAt + 21 * DAY_MS, context.refresherAt));
  const gain = 0.2 + 2.8 * effectiveLevel + random.normal(0, 1.1);
  const followUp: Ruler = {
    importance: item(baseline.importance + 0.6 * gain + random.normal(0, 0.8)),
    confidence: item(baseline.confidence + gain + random.normal(0, 1)),
    readiness: item(baseline.readiness + gain + random.normal(0, 1)),
  };

  // Weekly sessions at one time of day, from a few days after enrolment.
  const planned = random.int(6, 10);
  const slotOfDay = evening
    ? 17 * HOUR_MS + random.int(0, 3) * 30 * MINUTE_MS
    : 9 * HOUR_MS + random.int(0, 15) * 30 * MINUTE_MS;
  const firstDay = weekday(dayOf(new Date(enrolledAt)) + random.int(3, 9) * DAY_MS, 1);
  // Poorer MI loses more clients, and earlier; so does low readiness at intake.
  const hazard = (level: number, week: number) =>
    clamp(
      (0.015 + 0.06 * (1 - outcomeLevel(context, level)) ** 2) *
        (week < 3 ? 1.6 : 1) *
        (1 + 0.1 * (5 - baseline.readiness)),
      0.005,
      0.3,
    );

  let attended = 0;
  let followedUp = false;
  let missesBeforeDropout = -1; // -1: not dropping out
  let bookedAt = enrolledAt + 40 * MINUTE_MS;
  for (let week = 0; ; week += 1) {
    const scheduledAt = firstDay + week * 7 * DAY_MS + slotOfDay;
    // Still in care: nothing is known yet of sessions that have not happened (censored).
    if (scheduledAt + SESSION_SETTLES_MS > context.now) return;
    const sessionNumber = String(week + 1).padStart(2, "0");
    const sessionId = `ses_${context.prefix}_${number}_${sessionNumber}`;
    const sessionEvent = (what: string) => eventId(`s${sessionNumber}_${what}`);
    const level = clamp(levelAt(therapist, scheduledAt, context.refresherAt) + random.normal(0, 0.05), 0, 1);

    emit(
      context,
      "evoke.session.scheduled",
      sessionEvent("scheduled"),
      bookedAt,
      { sessionId, clientId, therapistId, programmeId, scheduledAt: iso(scheduledAt) },
      clientId,
    );
    bookedAt = scheduledAt + 70 * MINUTE_MS;

    if (missesBeforeDropout < 0 && random.chance(hazard(level, week))) missesBeforeDropout = random.int(1, 2);
    const outcome =
      missesBeforeDropout >= 0 ? "missed" : random.weighted({ attended: 0.84, missed: 0.08, cancelled: 0.08 });

    if (outcome === "missed") {
      emit(
        context,
        "evoke.session.missed",
        sessionEvent("missed"),
        scheduledAt + 20 * MINUTE_MS,
        { sessionId, clientId, therapistId, programmeId, scheduledAt: iso(scheduledAt) },
        clientId,
      );
      if (missesBeforeDropout > 0) missesBeforeDropout -= 1;
      if (missesBeforeDropout === 0) {
        // Closed as a dropout after three to four weeks without contact.
        const dischargedAt = dayOf(new Date(scheduledAt)) + random.int(21, 28) * DAY_MS + 10 * HOUR_MS;
        if (dischargedAt <= context.now) {
          truth.discharge = { at: dischargedAt, reason: "dropped_out" };
          emit(
            context,
            "evoke.client.discharged",
            eventId("discharged"),
            dischargedAt,
            { clientId, programmeId, dischargedAt: iso(dischargedAt), reason: "dropped_out" },
            clientId,
          );
        }
        return;
      }
      continue;
    }

    if (outcome === "cancelled") {
      const cancelledAt = scheduledAt - random.int(2, 60) * HOUR_MS;
      emit(
        context,
        "evoke.session.cancelled",
        sessionEvent("cancelled"),
        cancelledAt,
        {
          sessionId,
          clientId,
          programmeId,
          cancelledBy: random.chance(0.75) ? "client" : "clinic",
          cancelledAt: iso(cancelledAt),
        },
        clientId,
      );
      continue;
    }

    const occurredAt = scheduledAt + random.int(0, 6) * MINUTE_MS;
    const durationMinutes = random.int(35, 60);
    emit(
      context,
      "evoke.session.attended",
      sessionEvent("attended"),
      occurredAt,
      { sessionId, clientId, therapistId, programmeId, occurredAt: iso(occurredAt), durationMinutes },
      clientId,
    );
    attended += 1;
    truth.attended.push(occurredAt);
    const complete = attended >= planned;

    // Where the client's readiness is by now: intake moving towards the follow-up over six weeks.
    const progress = clamp((scheduledAt - enrolledAt) / (42 * DAY_MS), 0, 1);
    const readiness = baseline.readiness + (followUp.readiness - baseline.readiness) * progress;
    const utterances = dialogue(random, { topic, level, readiness, firstSession: attended === 1 }).map(
      ({ speaker, text, startMs, endMs }) => ({ speaker, text, startMs, endMs }),
    );
    const submittedAt = occurredAt + durationMinutes * MINUTE_MS + random.int(10, 45) * MINUTE_MS;
    truth.transcripts += 1;
    emit(
      context,
      "evoke.transcript.submitted",
      sessionEvent("transcript"),
      submittedAt,
      { sessionId, clientId, therapistId, programmeId, language: "en", changeGoal: programme.changeGoal, utterances },
      clientId,
    );

    if (random.chance(0.05)) {
      const ratedAt = dayOf(new Date(occurredAt)) + random.int(3, 21) * DAY_MS + 14 * HOUR_MS;
      if (ratedAt <= context.now) {
        truth.humanRatings += 1;
        emit(
          context,
          "evoke.fidelity.rated",
          sessionEvent("rated"),
          ratedAt,
          {
            sessionId,
            coderId: random.pick(CODERS),
            instrument: "MITI-4.2.1",
            ...humanRating(random, level),
            segmentMinutes: 20,
            ratedAt: iso(ratedAt),
          },
          clientId,
        );
      }
    }

    // The ruler again at about six weeks (or at the last session, if that comes first); now
    // and then it is not done.
    if (!followedUp && (scheduledAt - enrolledAt >= 38 * DAY_MS || complete)) {
      followedUp = true;
      if (random.chance(0.9)) {
        const at = occurredAt + (durationMinutes - 5) * MINUTE_MS;
        truth.readiness.push(followUp.readiness);
        emit(
          context,
          "evoke.readiness.measured",
          eventId("ruler_followup"),
          at,
          {
            clientId,
            programmeId,
            measuredAt: iso(at),
            sessionId,
            instrument: "readiness-ruler",
            scores: rulerItems(followUp),
          },
          clientId,
        );
      }
    }

    if (complete) {
      const dischargedAt = occurredAt + (durationMinutes + 30) * MINUTE_MS;
      truth.discharge = { at: dischargedAt, reason: "completed" };
      emit(
        context,
        "evoke.client.discharged",
        eventId("discharged"),
        dischargedAt,
        { clientId, programmeId, dischargedAt: iso(dischargedAt), reason: "completed" },
        clientId,
      );
      return;
    }

    // Now and then an episode ends for other reasons: moved away, referred on, records closed.
    const other = random.next();
    if (other < 0.006 || other > 0.997) {
      const dischargedAt = occurredAt + random.int(1, 3) * DAY_MS;
      if (dischargedAt <= context.now) {
        truth.discharge = { at: dischargedAt, reason: other < 0.006 ? "transferred" : "administrative" };
        emit(
          context,
          "evoke.client.discharged",
          eventId("discharged"),
          dischargedAt,
          {
            clientId,
            programmeId,
            dischargedAt: iso(dischargedAt),
            reason: other < 0.006 ? "transferred" : "administrative",
          },
          clientId,
        );
        return;
      }
    }
  }
}

/** The level outcomes follow: the therapist's, pulled towards REFERENCE_LEVEL as `effect` falls below 1. */
function outcomeLevel(context: Context, level: number): number {
  return context.effect === 1 ? level : REFERENCE_LEVEL + context.effect * (level - REFERENCE_LEVEL);
}

/** Each programme's share of the clients: the demo's split for its three, equal shares beyond. */
function programmeShares(roster: ClinicRoster): Record<string, number> {
  const demo = roster.programmes.length <= 3;
  return Object.fromEntries(
    roster.programmes.map((programme) => [programme.id, demo ? PROGRAMME_SHARE[programme.focus] : 1]),
  );
}

function positiveNumber(name: string, value: number, whole: boolean): number {
  if (!Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value)))
    throw new Error(`${name} must be a ${whole ? "whole " : ""}number of at least 0, got ${value}`);
  return value;
}

/**
 * A believable MI clinic's intake events (no codings), in time order, every one valid against
 * the contract, and the truth behind them: `programmes` programmes with four therapists each of
 * three levels of MI practice (two of the first programme's improve after an MI refresher), and
 * `clients` clients enrolled over the `months` before `now`, each with readiness rulers, weekly
 * sessions and their transcripts, some human fidelity ratings, and a discharge once the episode
 * has ended. Outcomes follow the therapist's MI by `effect`, plus noise. Nothing happens after
 * `now`; clients enrolled lately are still in care.
 */
export function synthClinic(options: DemoClinicOptions = {}): SyntheticClinic {
  const clients = positiveNumber("clients", options.clients ?? DEFAULT_CLIENTS, true);
  const months = positiveNumber("months", options.months ?? 10, false);
  const effect = positiveNumber("effect", options.effect ?? 1, false);
  const historyDays = Math.round(months * 30.5);
  if (historyDays < 30) throw new Error(`months must be at least 1, got ${months}`);
  const prefix = options.idPrefix ?? "demo";
  if (!/^[a-z0-9]{1,16}$/.test(prefix))
    throw new Error(`idPrefix must be 1-16 lower-case letters or digits, got "${prefix}"`);
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new Error("now must be a valid date");
  const roster = clinicRoster(options.programmes ?? 3);
  const context: Context = {
    seed: options.seed ?? DEFAULT_SEED,
    now: now.getTime(),
    source: options.source ?? DEFAULT_SOURCE,
    start: dayOf(now) - historyDays * DAY_MS,
    refresherAt: DEMO_REFRESHER_DATE(now, historyDays).getTime(),
    historyDays,
    width: Math.max(4, String(clients).length),
    roster,
    shares: programmeShares(roster),
    effect,
    prefix,
    events: [],
    episodes: [],
  };
  registerDirectory(context);
  for (let index = 0; index < clients; index += 1) clientHistory(context, index);
  // Stable: events at the same instant keep the order they were made in.
  const events = context.events
    .map((event, order) => ({ event, order, time: Date.parse(event.time) }))
    .sort((a, b) => a.time - b.time || a.order - b.order)
    .map(({ event }) => event);
  return { events, roster, episodes: context.episodes, now };
}

/** synthClinic's events alone: the demo clinic `npm start` sends, and the tests' seeded data. */
export function demoClinic(options: DemoClinicOptions = {}): EvokeEvent[] {
  return synthClinic(options).events;
}
