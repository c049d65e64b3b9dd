/**
 * A failure the user can act on: `message` says what happened in one line, `hint` what to do.
 * The CLI prints both without a stack trace; anything else is a bug and keeps its stack.
 */
export class InfraError extends Error {
  override readonly name = "InfraError";
  readonly hint: string;

  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
  }
}

export function isInfraError(error: unknown): error is InfraError {
  return error instanceof InfraError;
}

/** The message of anything thrown, for embedding in an InfraError. */
export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
