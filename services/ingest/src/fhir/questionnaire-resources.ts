import { INSTRUMENT_SCALES, type Instrument, MITI_BEHAVIOUR_COUNTS, MITI_GLOBAL_RATINGS } from "@evoke/events";
import type { Questionnaire, QuestionnaireItem } from "@medplum/fhirtypes";
import { QUESTIONNAIRES } from "./canonical.ts";

/*
 * Evoke's canonical Questionnaires, built from the same lists the mapping reads, so a linkId in
 * docs/fhir/questionnaires/*.json is always one the endpoint understands (`pnpm run docs`
 * writes them). They carry no LOINC codes: we found none that name these instruments' subscale
 * scores or the MITI 4.2.1 codes, and codes must not be guessed.
 */

const VERSION = "1.0.0";
const MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
const MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";

function numberItem(
  linkId: string,
  text: string,
  type: "integer" | "decimal",
  min?: number,
  max?: number,
): QuestionnaireItem {
  const bound = (url: string, value: number) =>
    type === "integer" ? { url, valueInteger: value } : { url, valueDecimal: value };
  const extension = [
    ...(min === undefined ? [] : [bound(MIN_VALUE, min)]),
    ...(max === undefined ? [] : [bound(MAX_VALUE, max)]),
  ];
  return { linkId, text, type, required: true, ...(extension.length === 0 ? {} : { extension }) };
}

function scaleItems(instrument: Instrument, type: "integer" | "decimal", texts: Readonly<Record<string, string>>) {
  return Object.entries(INSTRUMENT_SCALES[instrument]).map(([linkId, [min, max]]) =>
    numberItem(linkId, texts[linkId] ?? linkId, type, min, max),
  );
}

function questionnaire(
  name: string,
  url: string,
  title: string,
  description: string,
  item: QuestionnaireItem[],
): Questionnaire {
  return {
    resourceType: "Questionnaire",
    id: url.split("/").pop() as string, // the canonical URL's last segment, never empty
    url,
    version: VERSION,
    name,
    title,
    status: "active",
    subjectType: ["Patient"],
    publisher: "Evoke",
    description,
    item,
  };
}

export function evokeQuestionnaires(): Map<string, Questionnaire> {
  return new Map([
    [
      "readiness-ruler",
      questionnaire(
        "EvokeReadinessRuler",
        QUESTIONNAIRES.readinessRuler,
        "Readiness rulers (importance, confidence, readiness), 0-10",
        "The three readiness rulers of motivational interviewing, each on 0-10. Maps to evoke.readiness.measured (instrument readiness-ruler). A service that uses 1-10 should send its values on 0-10.",
        scaleItems("readiness-ruler", "integer", {
          importance: "How important is it for you to make this change? (0-10)",
          confidence: "How confident are you that you could make this change? (0-10)",
          readiness: "How ready are you to make this change? (0-10)",
        }),
      ),
    ],
    [
      "urica-subscales",
      questionnaire(
        "EvokeUricaSubscales",
        QUESTIONNAIRES.urica,
        "URICA subscale means",
        "The four URICA subscale scores (means of items rated 1-5), scored by the clinic. Evoke takes the subscale scores, not the 32 items. Maps to evoke.readiness.measured (instrument urica).",
        scaleItems("urica", "decimal", {
          precontemplation: "Precontemplation subscale mean (1-5)",
          contemplation: "Contemplation subscale mean (1-5)",
          action: "Action subscale mean (1-5)",
          maintenance: "Maintenance subscale mean (1-5)",
        }),
      ),
    ],
    [
      "socrates-8-subscales",
      questionnaire(
        "EvokeSocrates8Subscales",
        QUESTIONNAIRES.socrates,
        "SOCRATES 8 subscale totals",
        "The three SOCRATES 8 subscale totals, scored by the clinic. Maps to evoke.readiness.measured (instrument socrates).",
        scaleItems("socrates", "integer", {
          recognition: "Recognition total (7-35)",
          ambivalence: "Ambivalence total (4-20)",
          takingSteps: "Taking steps total (8-40)",
        }),
      ),
    ],
    [
      "miti-4.2.1-rating",
      {
        ...questionnaire(
          "EvokeMiti421Rating",
          QUESTIONNAIRES.miti,
          "MITI 4.2.1 rating of a session segment",
          "A human coder's MITI 4.2.1 rating: the four global ratings (1-5), the ten behaviour counts and the segment's length. QuestionnaireResponse.encounter names the session, author the coder. Maps to evoke.fidelity.rated.",
          [
            {
              linkId: "globals",
              text: "Global ratings (1-5)",
              type: "group",
              required: true,
              item: MITI_GLOBAL_RATINGS.map((linkId) => numberItem(linkId, linkId, "integer", 1, 5)),
            },
            {
              linkId: "counts",
              text: "Behaviour counts",
              type: "group",
              required: true,
              item: MITI_BEHAVIOUR_COUNTS.map((linkId) => numberItem(linkId, linkId, "integer", 0, 1000)),
            },
            numberItem("segmentMinutes", "Length of the coded segment, in minutes", "decimal", 0, 240),
          ],
        ),
        subjectType: ["Patient", "Encounter"],
      },
    ],
  ]);
}
