import { Secret } from "@evoke/config";
import type { QuestionnaireItem, QuestionnaireResponseItem } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { planFhirRequest } from "./bundle.ts";
import { evokeQuestionnaires } from "./questionnaire-resources.ts";

/** Answers every item of a Questionnaire with its lowest allowed value, keeping groups. */
function answer(items: readonly QuestionnaireItem[]): QuestionnaireResponseItem[] {
  return items.map((item) => {
    if (item.type === "group") return { linkId: item.linkId, item: answer(item.item ?? []) };
    const min = item.extension?.find((extension) => extension.url.endsWith("minValue"));
    const value = min?.valueInteger ?? min?.valueDecimal ?? 1;
    return {
      linkId: item.linkId,
      answer: [item.type === "integer" ? { valueInteger: value } : { valueDecimal: value || 1 }],
    };
  });
}

describe("Evoke's Questionnaires and the mapping agree", () => {
  for (const [name, questionnaire] of evokeQuestionnaires()) {
    it(`a completed response to ${name} maps to one event`, () => {
      const result = planFhirRequest(
        {
          resourceType: "QuestionnaireResponse",
          id: "r1",
          questionnaire: `${questionnaire.url}|${questionnaire.version}`,
          status: "completed",
          subject: { reference: "Patient/p1" },
          encounter: { reference: "Encounter/e1" },
          author: { reference: "Practitioner/c1" },
          authored: "2026-03-14T10:00:00Z",
          item: answer(questionnaire.item ?? []),
        },
        {
          patientIdSalt: new Secret("questionnaire-test-salt"),
          patientIdentifierSystem: null,
          programmeMap: new Map(),
          defaultProgrammeId: "prg_q",
        },
        { source: "urn:evoke:fhir:test", receivedAt: "2026-03-14T10:00:00Z" },
      );
      expect(result.kind === "publish" ? result.events.length : result.answer.resource).toBe(1);
    });
  }
});
