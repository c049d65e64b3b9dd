import { Writable } from "node:stream";
import { createLogger, type Logger } from "@evoke/logger";

/** A logger whose every line is kept, parsed, in `logs`: for tests that check what was logged. */
export function capturingLogger(name: string, level: string): { logger: Logger; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger({ name, level, destination }), logs };
}
