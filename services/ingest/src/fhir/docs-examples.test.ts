import { readFileSync } from "node:fs";
import { Secret } from "@evoke/config";
import { describe, expect, it } from "vitest";
import { planFhirRequest } from "./bundle.ts";

/*
 * docs/fhir.md's worked examples are real: each Bundle under a "... → event, event" heading is
 * mapped and must publish (at least) the events the heading names, and nothing is refused.
 */

const GUIDE = readFileSync(new URL("../../../../docs/fhir.md", import.meta.url), "utf8");
const EXAMPLE = /^### (.+?)\n[\s\S]*?```json\n([\s\S]*?)```/gm;

const examples = [...GUIDE.matchAll(EXAMPLE)]
  .map((match) => ({ heading: match[1] as string, body: JSON.parse(match[2] as string) as { resourceType?: string } }))
  .filter((example) => example.body.resourceType === "Bundle" && example.heading.includes("→"));

describe("docs/fhir.md worked examples", () => {
  it("has one per resource kind", () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
  });

  for (const { heading, body } of examples) {
    it(heading, () => {
      const expected = (heading.split("→")[1] ?? "")
        .split(",")
        .map((name) => `evoke.${name.trim().split(" ").join(".")}`);
      const result = planFhirRequest(
        body,
        {
          patientIdSalt: new Secret("docs-example-salt-0123"),
          patientIdentifierSystem: null,
          programmeMap: new Map(),
          defaultProgrammeId: null,
        },
        { source: "urn:evoke:fhir:docs", receivedAt: "2026-06-02T09:00:00Z" },
      );
      if (result.kind !== "publish") throw new Error(JSON.stringify(result.answer.resource));
      expect(result.refused).toBe(0);
      for (const type of expected) expect(result.events.map((event) => event.type)).toContain(type);
    });
  }
});
