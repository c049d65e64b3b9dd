import type { IntakeEvent, ValidationIssue } from "@evoke/events";
import type { Context } from "hono";
import { stream } from "hono/streaming";
import type { IngestEnv } from "./env.ts";
import { type EventsDependencies, publishAcknowledged, validateReceived } from "./events-handler.ts";
import { ProblemError } from "./problems.ts";

/*
 * application/x-ndjson: one structured-mode CloudEvent per line, for backfills of any length.
 * Lines are validated as they arrive and published in chunks; the response streams back one
 * outcome per line, in line order, then a summary. Unlike a batch, a bad line does not stop
 * the others. If Kafka becomes unreachable the stream stops, and the summary names the first
 * line to resend (`retryFromLine`).
 */

/** Lines published per Kafka request. */
const CHUNK_EVENTS = 500;

type Outcome =
  | { readonly line: number; readonly status: "accepted" }
  | { readonly line: number; readonly status: "rejected"; readonly errors: readonly ValidationIssue[] }
  | { readonly line: number; readonly status: "failed"; readonly reason: string };

interface Pending {
  readonly line: number;
  readonly event?: IntakeEvent;
  readonly rejection?: readonly ValidationIssue[];
}

function judgeLine(
  text: string,
  dependencies: EventsDependencies,
): { event: IntakeEvent } | { errors: ValidationIssue[] } {
  const maxLineBytes = dependencies.maxBodyBytes;
  if (Buffer.byteLength(text) > maxLineBytes) {
    return { errors: [{ field: "", pointer: "", reason: `the line is longer than ${maxLineBytes} bytes` }] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { errors: [{ field: "", pointer: "", reason: "the line is not valid JSON" }] };
  }
  const result = validateReceived(dependencies, parsed);
  return result.ok ? { event: result.event } : { errors: [...result.issues] };
}

/** Splits a byte stream into lines, however the chunks fall. */
async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let carry = "";
  for await (const chunk of body) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const parts = text.split("\n");
    carry = parts.pop() ?? "";
    for (const part of parts) yield part;
  }
  carry += decoder.decode();
  if (carry !== "") yield carry;
}

export function streamNdjson(c: Context<IngestEnv>, dependencies: EventsDependencies): Response {
  const body = c.req.raw.body;
  if (body === null) throw new ProblemError("malformed-json", "The body is empty: send one CloudEvent per line.");
  const apiKeyName = c.get("apiKeyName");
  c.header("content-type", "application/x-ndjson; charset=utf-8");

  return stream(c, async (output) => {
    const totals = { lines: 0, accepted: 0, rejected: 0, failed: 0 };
    let pending: Pending[] = [];
    const write = (value: unknown) => output.write(`${JSON.stringify(value)}\n`);

    /** Publishes the pending valid lines, then reports every pending line in order. */
    const flush = async (): Promise<boolean> => {
      const events = pending.flatMap((entry) => (entry.event === undefined ? [] : [entry.event]));
      let published = true;
      if (events.length > 0) {
        await dependencies.rateLimiter.takeWhenAvailable(apiKeyName, events.length);
        try {
          await publishAcknowledged(dependencies, events, apiKeyName);
        } catch (error) {
          if (!(error instanceof ProblemError) || error.slug !== "broker-unavailable") throw error;
          published = false;
        }
      }
      for (const entry of pending) {
        let outcome: Outcome;
        if (entry.rejection !== undefined) {
          outcome = { line: entry.line, status: "rejected", errors: entry.rejection };
          totals.rejected += 1;
        } else if (published) {
          outcome = { line: entry.line, status: "accepted" };
          totals.accepted += 1;
        } else {
          outcome = { line: entry.line, status: "failed", reason: "Kafka is unreachable; the line was not published" };
          totals.failed += 1;
        }
        await write(outcome);
      }
      const firstUnpublished = pending.find((entry) => entry.event !== undefined)?.line;
      pending = [];
      if (!published) {
        await write({
          summary: {
            ...totals,
            complete: false,
            stoppedBecause: "broker-unavailable",
            retryFromLine: firstUnpublished,
          },
        });
      }
      return published;
    };

    let validPending = 0;
    for await (const text of lines(body)) {
      totals.lines += 1;
      if (text.trim() === "") continue;
      const judged = judgeLine(text, dependencies);
      if ("event" in judged) {
        pending.push({ line: totals.lines, event: judged.event });
        validPending += 1;
      } else {
        dependencies.metrics.rejected(undefined, "invalid");
        pending.push({ line: totals.lines, rejection: judged.errors });
      }
      if (validPending >= CHUNK_EVENTS || pending.length >= 4 * CHUNK_EVENTS) {
        validPending = 0;
        if (!(await flush())) return;
      }
    }
    if (!(await flush())) return;
    await write({ summary: { ...totals, complete: true } });
  });
}
