import { z } from "zod";
import type { Coder } from "../coder.ts";
import type { Thresholds } from "../thresholds.ts";

/*
 * `pnpm --silent mi code < sessions.jsonl > coded.jsonl`: one session per input line, one coded
 * session per output line, same order. Every line is checked before anything is written, so a
 * malformed line stops the run with one message on stderr and nothing half-written on stdout.
 */

const expect = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is missing" : message;

const inputLine = z.object({
  sessionId: z.string({ error: expect("must be a string") }).min(1, { error: "must not be empty" }),
  utterances: z.array(
    z.object({
      speaker: z.enum(["therapist", "client"], { error: expect('must be "therapist" or "client"') }),
      text: z.string({ error: expect("must be a string") }),
    }),
    { error: expect("must be an array of {speaker, text}") },
  ),
});

export type InputSession = z.infer<typeof inputLine>;

export class InputError extends Error {
  override readonly name = "InputError";
}

function where(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

/** Parses JSONL input, failing on the first bad line with its number and what is wrong. */
export function parseSessions(input: string): InputSession[] {
  const sessions: InputSession[] = [];
  const lines = input.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new InputError(`line ${i + 1}: not valid JSON`);
    }
    const parsed = inputLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue === undefined ? "" : where(issue.path);
      const message = issue?.message.startsWith("Invalid input")
        ? "is missing or of the wrong type"
        : (issue?.message ?? "is invalid");
      throw new InputError(`line ${i + 1}: ${at === "" ? "the line" : at} ${message}`);
    }
    sessions.push(parsed.data);
  });
  return sessions;
}

export async function codeLines(
  coder: Coder,
  sessions: readonly InputSession[],
  thresholds: Thresholds,
): Promise<string> {
  const lines: string[] = [];
  for (const session of sessions) lines.push(`${JSON.stringify(await coder.code(session, thresholds))}\n`);
  return lines.join("");
}
