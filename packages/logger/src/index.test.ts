import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./index.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("writes structured JSON with the component name and message", () => {
    const { lines, destination } = capture();
    createLogger({ name: "ingest", destination }).info({ eventType: "evoke.session.attended" }, "accepted");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: "ingest", msg: "accepted", eventType: "evoke.session.attended" });
  });

  it("redacts transcript text even when a caller logs it by mistake", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: "coding", destination });
    logger.warn(
      {
        sessionId: "ses_1",
        text: "I drink every night",
        utterance: { text: "I want to stop" },
        event: { data: { utterances: [{ text: "secret" }] } },
      },
      "could not code utterance",
    );
    const written = JSON.stringify(lines);
    expect(written).not.toContain("drink");
    expect(written).not.toContain("stop");
    expect(written).not.toContain("secret");
    expect(lines[0]).toMatchObject({ sessionId: "ses_1", text: "[redacted]" });
  });

  it("honours the level", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: "x", level: "warn", destination });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines.map((line) => line.msg)).toEqual(["shown"]);
  });
});
