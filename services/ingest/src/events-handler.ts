import { type IntakeEvent, type TimeLimits, type Validation, type ValidationIssue, validateEvent } from "@evoke/events";
import type { Context } from "hono";
import { readBodyLimited } from "./body.ts";
import type { IngestEnv } from "./env.ts";
import { eventFromBinary, eventsInBody, locateInHeaders, type Mode, parseJson } from "./http-binding.ts";
import type { IngestMetrics } from "./metrics.ts";
import { ProblemError } from "./problems.ts";
import { BrokerUnavailableError, type Publisher } from "./publisher.ts";
import type { RateLimiter } from "./rate-limiter.ts";

/** What the events endpoint needs; shared by the one-shot modes and the NDJSON stream. */
export interface EventsDependencies {
  readonly publisher: Publisher;
  readonly metrics: IngestMetrics;
  readonly rateLimiter: RateLimiter;
  readonly maxBodyBytes: number;
  readonly now: () => Date;
  readonly timeLimits: TimeLimits;
}

/**
 * The contract's checks as of now, against the configured time limits: whatever passes can be
 * stored, so a 202 means the event will be recorded.
 */
export function validateReceived(dependencies: EventsDependencies, candidate: unknown): Validation {
  return validateEvent(candidate, { receivedAt: dependencies.now(), timeLimits: dependencies.timeLimits });
}

/** Listing more than this many field errors helps nobody; the count says how many there were. */
const MAX_LISTED_ERRORS = 1_000;
/** How long to tell clients to wait when Kafka is unreachable. */
export const BROKER_RETRY_AFTER_SECONDS = 5;

export interface IndexedIssue extends ValidationIssue {
  readonly index: number;
}

/**
 * Publishes and waits for Kafka's acknowledgement, timing it. A broker that cannot be
 * reached becomes a 503 the client may retry; nothing was acknowledged to it.
 */
export async function publishAcknowledged(
  dependencies: EventsDependencies,
  events: readonly IntakeEvent[],
  apiKeyName: string,
): Promise<void> {
  try {
    await dependencies.metrics.timePublish(() =>
      dependencies.publisher.publish(events, { receivedAt: dependencies.now().toISOString(), apiKeyName }),
    );
  } catch (error) {
    const reason = error instanceof BrokerUnavailableError ? "broker-unavailable" : "failed";
    for (const event of events) dependencies.metrics.rejected(event.type, reason);
    if (error instanceof BrokerUnavailableError) {
      throw new ProblemError(
        "broker-unavailable",
        "Evoke could not reach Kafka, so none of the events were accepted. Retry the whole request; resending an event never counts it twice.",
        { headers: { "retry-after": String(BROKER_RETRY_AFTER_SECONDS) } },
      );
    }
    throw error;
  }
  dependencies.metrics.accepted(events.map((event) => event.type));
}

/** Counts the events against the API key's rate; over it, a 429 naming when to resend. */
export function takeRate(dependencies: EventsDependencies, events: readonly IntakeEvent[], apiKeyName: string): void {
  const wait = dependencies.rateLimiter.take(apiKeyName, events.length);
  if (wait > 0) {
    for (const event of events) dependencies.metrics.rejected(event.type, "rate-limited");
    throw new ProblemError(
      "rate-limited",
      `API key "${apiKeyName}" is over its rate of events per second. Resend in ${wait} s.`,
      { headers: { "retry-after": String(wait) } },
    );
  }
}

/**
 * POST /v1/events in structured, batch or binary mode: read, validate every event, publish all
 * or none. 202 means Kafka has acknowledged every event.
 */
export async function acceptEvents(
  c: Context<IngestEnv>,
  mode: Exclude<Mode, "ndjson">,
  dependencies: EventsDependencies,
): Promise<Response> {
  const body = parseJson(await readBodyLimited(c.req.raw, dependencies.maxBodyBytes));
  const candidates =
    mode === "binary"
      ? [eventFromBinary(c.req.header(), c.req.header("content-type") ?? "", body)]
      : eventsInBody(mode, body);

  const results = candidates.map((candidate) => validateReceived(dependencies, candidate));
  const issues: IndexedIssue[] = results.flatMap((result, index) =>
    result.ok ? [] : result.issues.map((issue) => ({ index, ...(mode === "binary" ? locateInHeaders(issue) : issue) })),
  );
  if (issues.length > 0) {
    const invalidCount = results.filter((result) => !result.ok).length;
    for (const result of results) {
      if (result.ok) dependencies.metrics.rejected(result.event.type, "batch-invalid");
      else dependencies.metrics.rejected(result.type, "invalid");
    }
    throw new ProblemError(
      "invalid-events",
      `${invalidCount} of ${candidates.length} event${candidates.length === 1 ? " is" : "s are"} not valid; nothing was published.`,
      {
        extensions: {
          invalidEvents: invalidCount,
          errors: issues.slice(0, MAX_LISTED_ERRORS),
          ...(issues.length > MAX_LISTED_ERRORS ? { errorsListed: MAX_LISTED_ERRORS, errorsTotal: issues.length } : {}),
        },
      },
    );
  }

  const events = results.flatMap((result) => (result.ok ? [result.event] : []));
  const apiKeyName = c.get("apiKeyName");
  takeRate(dependencies, events, apiKeyName);
  await publishAcknowledged(dependencies, events, apiKeyName);
  return c.json({ accepted: events.length }, 202);
}
