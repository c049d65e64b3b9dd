import { readFile, stat } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { codeSession } from "./code.ts";
import { DEFAULT_MODEL_PATH, loadModel, parseModel, serializeModel } from "./model.ts";
import { CLIENT_CATEGORIES, THERAPIST_CATEGORIES } from "./transcript.ts";

describe("the committed model", () => {
  it("is at most 20 MB and carries the hash of its content as its version", async () => {
    expect((await stat(DEFAULT_MODEL_PATH)).size).toBeLessThan(20 * 1024 * 1024);
    const model = await loadModel();
    const { version } = serializeModel(model);
    expect(model.version).toBe(version);
    expect(model.version).toMatch(/^annomi-lr-[0-9a-f]{12}$/);
  });

  it("round-trips through serialisation unchanged", async () => {
    const json = await readFile(DEFAULT_MODEL_PATH, "utf8");
    expect(serializeModel(parseModel(json)).json).toBe(json);
  });

  it("codes a team-written session into the output contract", async () => {
    const model = await loadModel();
    const session = {
      sessionId: "ses_demo",
      utterances: [
        { speaker: "therapist" as const, text: "Hi, thanks for coming in. What would you like to talk about today?" },
        { speaker: "client" as const, text: "I really need to stop smoking, my chest is getting bad." },
        { speaker: "therapist" as const, text: "You're worried about what smoking is doing to your health." },
        { speaker: "client" as const, text: "Yeah." },
      ],
    };
    const coded = codeSession(model, session);
    expect(coded.sessionId).toBe("ses_demo");
    expect(coded.modelVersion).toBe(model.version);
    expect(coded.utterances.map((utterance) => utterance.index)).toEqual([0, 1, 2, 3]);
    for (const utterance of coded.utterances) {
      const categories: readonly string[] =
        utterance.speaker === "therapist" ? THERAPIST_CATEGORIES : CLIENT_CATEGORIES;
      expect(categories).toContain(utterance.category);
      expect(utterance.confidence).toBeGreaterThan(0);
      expect(utterance.confidence).toBeLessThanOrEqual(1);
    }
    // The unmistakable ones.
    expect(coded.utterances[0]?.category).toBe("question");
    expect(coded.utterances[2]?.category).toBe("reflection");
    expect(coded.utterances[3]?.category).toBe("neutral");
    for (const rating of Object.values(coded.summary.globals)) {
      expect(rating).toBeGreaterThanOrEqual(1);
      expect(rating).toBeLessThanOrEqual(5);
    }
  });
});
