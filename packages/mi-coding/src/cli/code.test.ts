import { describe, expect, it } from "vitest";
import { InputError, parseSessions } from "./code.ts";

describe("mi code input", () => {
  it("reads one session per line, skipping blank lines", () => {
    const input =
      '{"sessionId":"a","utterances":[{"speaker":"therapist","text":"Hi"}]}\n\n{"sessionId":"b","utterances":[]}\n';
    expect(parseSessions(input).map((session) => session.sessionId)).toEqual(["a", "b"]);
  });

  it.each([
    ["not json", "line 1: not valid JSON"],
    ['{"utterances":[]}', "line 1: sessionId is missing"],
    ['{"sessionId":"a"}', "line 1: utterances is missing"],
    [
      '{"sessionId":"a","utterances":[{"speaker":"nurse","text":"hi"}]}',
      'line 1: utterances[0].speaker must be "therapist" or "client"',
    ],
    ['{"sessionId":"a","utterances":[{"speaker":"client"}]}', "line 1: utterances[0].text is missing"],
    ['{"sessionId":"","utterances":[]}', "line 1: sessionId must not be empty"],
  ])("names the line and the problem: %s", (line, message) => {
    expect(() => parseSessions(line)).toThrow(new InputError(message));
  });

  it("counts lines from 1, blank ones included", () => {
    expect(() => parseSessions('{"sessionId":"a","utterances":[]}\n\n{oops')).toThrow("line 3: not valid JSON");
  });
});
