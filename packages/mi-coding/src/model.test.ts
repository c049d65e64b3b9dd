import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeSession } from "./code.ts";
import { type Coder, loadCoder } from "./coder.ts";
import { DEFAULT_MODEL_PATH, describeModels, findModel, loadModel, parseModel, serializeModel } from "./model.ts";
import { CLIENT_CATEGORIES, THERAPIST_CATEGORIES } from "./transcript.ts";

const ARCHIVE = join(dirname(DEFAULT_MODEL_PATH), "archive");
/** Coder v1, kept so CODING_MODEL can select it and recoding can move history back to it. */
const V1_VERSION = "annomi-lr-e8def7ff33dc";

const TEAM_SESSION = {
  sessionId: "ses_demo",
  utterances: [
    { speaker: "therapist" as const, text: "Hi, thanks for coming in. What would you like to talk about today?" },
    { speaker: "client" as const, text: "I really need to stop smoking, my chest is getting bad." },
    { speaker: "therapist" as const, text: "You're worried about what smoking is doing to your health." },
    { speaker: "client" as const, text: "Yeah." },
  ],
};

function expectContract(coded: Awaited<ReturnType<Coder["code"]>>, version: string): void {
  expect(coded.sessionId).toBe("ses_demo");
  expect(coded.modelVersion).toBe(version);
  expect(coded.utterances.map((utterance) => utterance.index)).toEqual([0, 1, 2, 3]);
  for (const utterance of coded.utterances) {
    const categories: readonly string[] = utterance.speaker === "therapist" ? THERAPIST_CATEGORIES : CLIENT_CATEGORIES;
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
}

describe("the committed model (coder v2)", () => {
  let coder: Coder;
  beforeAll(async () => {
    coder = await loadCoder();
  }, 300_000);
  afterAll(() => coder?.close());

  it("is at most 20 MB, names its encoder, and carries the hash of its content as its version", async () => {
    expect((await stat(DEFAULT_MODEL_PATH)).size).toBeLessThan(20 * 1024 * 1024);
    const model = await loadModel();
    expect(model.version).toBe(serializeModel(model).version);
    expect(model.version).toMatch(/^e5lr-annomi-evoke-[0-9a-f]{12}$/);
    expect(model.encoder).toBe("e5-small-v2-q");
    expect(model.stance?.detectors.Confront.labels).toEqual(["no", "yes"]);
    expect(model.trainedOn).toContain("written");
  });

  it("round-trips through serialisation unchanged", async () => {
    const json = await readFile(DEFAULT_MODEL_PATH, "utf8");
    expect(serializeModel(parseModel(json)).json).toBe(json);
  });

  it("codes a team-written session into the output contract, reading sentence vectors", async () => {
    expect(coder.encoder?.id).toBe("e5-small-v2-q");
    expectContract(await coder.code(TEAM_SESSION), coder.model.version);
  });

  it("refuses to code without the vectors its classifiers read", () => {
    expect(() => codeSession(coder.model, TEAM_SESSION)).toThrow(/vector/i);
  });
});

describe("the archived coder v1", () => {
  it("is found by version, round-trips byte for byte, and codes without an encoder", async () => {
    const files = (await readdir(ARCHIVE)).filter((name) => name.endsWith(".json"));
    expect(files).toContain(`${V1_VERSION}.json`);
    const json = await readFile(join(ARCHIVE, `${V1_VERSION}.json`), "utf8");
    expect(serializeModel(parseModel(json)).json).toBe(json);

    const v1 = await findModel(V1_VERSION);
    expect(v1.version).toBe(V1_VERSION);
    expect(v1.encoder).toBeUndefined();
    const coder = await loadCoder(V1_VERSION);
    expect(coder.encoder).toBeUndefined();
    expectContract(await coder.code(TEAM_SESSION), V1_VERSION);
    await coder.close();
  });

  it("is listed after the default model, with what each was trained on", async () => {
    const described = await describeModels();
    expect(described[0]).toMatchObject({ isDefault: true, encoder: "e5-small-v2-q" });
    expect(described.find((model) => model.version === V1_VERSION)).toMatchObject({
      isDefault: false,
      encoder: undefined,
    });
    await expect(findModel("annomi-lr-000000000000")).rejects.toThrow(/no model "annomi-lr-000000000000"/);
  });
});
