import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger } from "pino";

/**
 * Field names whose values may hold transcript text or other free text from clinics. Callers
 * should not log them at all; redaction catches the mistake before it reaches a log store.
 */
export const REDACTED_PATHS = [
  "text",
  "utterances",
  "transcript",
  "data",
  "*.text",
  "*.utterances",
  "*.transcript",
  "*.data",
] as const;

export interface LoggerOptions {
  /** The process or component writing, e.g. "ingest" or "infra". */
  readonly name: string;
  readonly level?: string;
  /** Where lines go; standard output by default. Tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
}

export function createLogger({ name, level = "info", destination }: LoggerOptions): Logger {
  const options = {
    name,
    level,
    redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
    base: { name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
