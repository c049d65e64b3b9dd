import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { judgeNode, SUPPORTED } from "./node-support.mjs";

describe("judgeNode", () => {
  it("runs the supported LTS lines, 22 and 24, without a word", () => {
    for (const version of ["22.12.0", "22.23.3", "24.0.0", "24.21.0"])
      expect(judgeNode(version)).toEqual({ verdict: "ok" });
  });

  it("warns on Node 20, past end of life, and on 22 before 22.12, yet runs", () => {
    for (const version of ["20.19.0", "20.20.2", "22.11.0"]) {
      const verdict = judgeNode(version);
      expect(verdict.verdict).toBe("warn");
      expect(verdict).toMatchObject({ message: expect.stringContaining(`Node.js ${version} is past end of life`) });
    }
  });

  it("warns on a Node newer than tested", () => {
    expect(judgeNode("25.1.0")).toMatchObject({ verdict: "warn", message: expect.stringContaining("newer than") });
  });

  it("refuses a Node that cannot load the dependencies", () => {
    for (const version of ["18.20.4", "20.18.1"]) {
      expect(judgeNode(version)).toMatchObject({ verdict: "refuse", hint: expect.stringContaining("Node.js 24") });
    }
  });

  it("states the range package.json's engines and .nvmrc state", async () => {
    const manifest = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
    expect(manifest.engines.node).toBe(SUPPORTED);
    expect((await readFile(new URL("../../.nvmrc", import.meta.url), "utf8")).trim()).toBe("24");
  });
});
