import { inspect } from "node:util";

const REDACTED = "[redacted]";

/**
 * A configuration value that must never reach a log line, an error message or a JSON
 * document by accident. Reading it is explicit (`reveal()`), so a grep finds every use.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
