/*
 * How far an event's timestamps may stray from the moment Evoke received it. An RFC 3339 string
 * can name any instant from year 0000 to 9999, but an enrolment dated 9999-12-31 or 1900-01-01
 * is a placeholder or a typo, and once recorded it distorts every period and retention figure.
 * So the contract refuses, at the door, times that cannot be true:
 * - what has happened (enrolled, attended, measured, the event's own `time`...) may not lie more
 *   than a small skew after receipt (senders' clocks and time zones are not perfect);
 * - a booking (`evoke.session.scheduled`'s `scheduledAt`) may lie ahead, but not years ahead;
 * - nothing may lie before the earliest date, which also keeps every time inside what
 *   PostgreSQL's timestamptz can hold (it has no year 0).
 */

export interface TimeLimits {
  /** An occurrence may lie at most this many hours after receipt. */
  readonly maxFutureSkewHours: number;
  /** A booking may lie at most this many days after receipt. */
  readonly maxScheduleAheadDays: number;
  /** No time may lie before this instant. */
  readonly earliest: Date;
}

/** The first instant PostgreSQL's timestamptz and RFC 3339 agree on (PostgreSQL has no year 0). */
export const STORABLE_EARLIEST = new Date("0001-01-01T00:00:00Z");

/**
 * Ingest's defaults. 2000-01-01 rather than 1970-01-01: the commonest placeholders for a missing
 * date (the Unix epoch, 1900-01-01) fall before it, while MI programmes' electronic records
 * rarely do; a clinic backfilling older history lowers it (INGEST_EARLIEST_DATE).
 */
export const DEFAULT_TIME_LIMITS: TimeLimits = {
  maxFutureSkewHours: 24,
  maxScheduleAheadDays: 730,
  earliest: new Date("2000-01-01T00:00:00Z"),
};

/**
 * Only what the store can hold. For consumers reading Evoke's own topics: ingest judged
 * plausibility against its configured limits when it answered 202, and a consumer re-judging
 * later, with its own clock and defaults, would dead-letter what ingest promised to record.
 */
export const STORABLE_TIME_LIMITS: TimeLimits = {
  maxFutureSkewHours: Number.POSITIVE_INFINITY,
  maxScheduleAheadDays: Number.POSITIVE_INFINITY,
  earliest: STORABLE_EARLIEST,
};

/** What a timestamp field records: something that happened, or a booking that may lie ahead. */
export type TimeKind = "occurred" | "planned";

interface TimeWindow {
  readonly receivedAt: Date;
  readonly limits: TimeLimits;
}

/*
 * zod has no way to hand a parse its own context, so the window of the validation in progress
 * is set around the (synchronous) parse by `judgingWithin`. Nothing can interleave with a
 * synchronous parse, so concurrent requests cannot see each other's window. A schema parsed
 * outside `judgingWithin` judges by the clock and the defaults.
 */
let judging: TimeWindow | undefined;

export function judgingWithin<T>(window: TimeWindow, parse: () => T): T {
  const previous = judging;
  judging = window;
  try {
    return parse();
  } finally {
    judging = previous;
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function shown(instant: Date): string {
  const iso = instant.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
}

/** Why an RFC 3339 time (already checked for syntax) cannot be true, or undefined. Never echoes it. */
export function timeProblem(value: string, kind: TimeKind): string | undefined {
  const { receivedAt, limits } = judging ?? { receivedAt: new Date(), limits: DEFAULT_TIME_LIMITS };
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined; // the syntax check has already said why
  if (at < limits.earliest.getTime()) {
    return `must not be before ${shown(limits.earliest)} (UTC), the earliest date Evoke accepts: a date this early is usually a placeholder or a typo`;
  }
  if (kind === "planned") {
    if (at > receivedAt.getTime() + limits.maxScheduleAheadDays * DAY_MS) {
      return `must not be more than ${limits.maxScheduleAheadDays} days after Evoke received the event: a booking that far ahead is usually a typo in the year`;
    }
  } else if (at > receivedAt.getTime() + limits.maxFutureSkewHours * HOUR_MS) {
    return `must not be more than ${limits.maxFutureSkewHours} hours after Evoke received the event: it records what has happened (check the year and the offset)`;
  }
  return undefined;
}
