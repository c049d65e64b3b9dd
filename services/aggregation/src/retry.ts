import { setTimeout as sleep } from "node:timers/promises";

/**
 * The Postgres (or socket) error code behind `error`: drizzle wraps the driver's error as its
 * `cause`, so the code may be one or more levels down.
 */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth += 1) {
    const { code } = current as { code?: unknown };
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Postgres error classes worth waiting out: connection loss, server shutting down or starting. */
export function isTransient(error: unknown): boolean {
  const code = errorCode(error) ?? "";
  return (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "EPIPE",
      "ETIMEDOUT",
      "CONNECTION_CLOSED",
      "CONNECTION_ENDED",
      "CONNECTION_DESTROYED",
      "CONNECT_TIMEOUT",
    ].includes(code) ||
    code.startsWith("08") || // connection exception
    code === "57P01" || // admin shutdown
    code === "57P02" || // crash shutdown
    code === "57P03" || // cannot connect now (starting up)
    code === "40001" || // serialization failure
    code === "40P01" // deadlock detected
  );
}

export interface RetryOptions {
  readonly isRunning: () => boolean;
  /** Called while waiting, e.g. to heartbeat the consumer group so the partition is not taken away. */
  readonly whileWaiting?: () => Promise<void>;
  readonly onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  readonly maxDelayMs?: number;
}

/**
 * Runs `work` until it succeeds, backing off exponentially (100 ms doubling to `maxDelayMs`)
 * while the database is unreachable. Other errors, and shutdown, end the retrying.
 */
export async function retryTransient<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isTransient(error) || !options.isRunning()) throw error;
      const delayMs = Math.min(options.maxDelayMs ?? 5_000, 100 * 2 ** (attempt - 1));
      options.onRetry?.(attempt, error, delayMs);
      await sleep(delayMs);
      await options.whileWaiting?.().catch(() => undefined);
    }
  }
}
