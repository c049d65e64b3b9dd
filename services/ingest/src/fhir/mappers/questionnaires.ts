import { INSTRUMENT_SCALES, type Instrument, MITI_BEHAVIOUR_COUNTS, MITI_GLOBAL_RATINGS } from "@evoke/events";
import type { QuestionnaireResponse, QuestionnaireResponseItem } from "@medplum/fhirtypes";
import { QUESTIONNAIRES } from "../canonical.ts";
import { clientIdOf, type Findings, type MappingContext, sessionIdOf, therapistIdOf, timestampOf } from "../context.ts";
import { defined, type EventDraft, type Mapper, nothingFor } from "./draft.ts";
import { programmeOfSession, sessionProgrammeCandidates } from "./sessions.ts";

/*
 * QuestionnaireResponses to Evoke's own Questionnaires (docs/fhir/questionnaires/): readiness
 * rulers, URICA and SOCRATES subscale scores → evoke.readiness.measured; a human MITI 4.2.1
 * rating → evoke.fidelity.rated. Each item's linkId is the Evoke field it fills.
 */

const READINESS: Readonly<Record<string, Instrument>> = {
  [QUESTIONNAIRES.readinessRuler]: "readiness-ruler",
  [QUESTIONNAIRES.urica]: "urica",
  [QUESTIONNAIRES.socrates]: "socrates",
};

/** Every item with its FHIRPath, nested groups included. */
function flattenItems(
  items: readonly QuestionnaireResponseItem[] | undefined,
  path = "item",
): Map<string, { item: QuestionnaireResponseItem; path: string }> {
  const found = new Map<string, { item: QuestionnaireResponseItem; path: string }>();
  (items ?? []).forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (typeof item.linkId === "string") found.set(item.linkId, { item, path: itemPath });
    for (const [linkId, nested] of flattenItems(item.item, `${itemPath}.item`)) found.set(linkId, nested);
  });
  return found;
}

/** The number answering `linkId` (valueInteger or valueDecimal), with the path of its answer. */
function numberAnswer(
  items: ReturnType<typeof flattenItems>,
  linkId: string,
  findings: Findings,
): { value: number; path: string } | undefined {
  const found = items.get(linkId);
  if (found === undefined) return findings.fail("item", `must answer the item with linkId "${linkId}"`, "required");
  const answer = found.item.answer?.[0];
  const value = answer?.valueInteger ?? answer?.valueDecimal;
  if (typeof value !== "number") {
    return findings.fail(
      `${found.path}.answer[0]`,
      `must be a valueInteger or valueDecimal (item "${linkId}")`,
      "value",
    );
  }
  return { value, path: `${found.path}.answer[0]` };
}

function canonicalOf(questionnaire: string): string {
  return questionnaire.split("|")[0] ?? questionnaire;
}

/** The programme of a response: through its session (in the request), else FHIR_DEFAULT_PROGRAMME. */
function programmeOfResponse(response: QuestionnaireResponse, context: MappingContext, findings: Findings) {
  return programmeOfSession(context, sessionProgrammeCandidates(context, response.encounter), "encounter", findings);
}

function mapReadiness(
  response: QuestionnaireResponse,
  instrument: Instrument,
  context: MappingContext,
  findings: Findings,
): EventDraft[] {
  const clientId = clientIdOf(context, response.subject, "subject", findings);
  const programmeId = programmeOfResponse(response, context, findings);
  const measuredAt = timestampOf(response.authored, "authored", findings);
  const sessionId =
    response.encounter === undefined ? undefined : sessionIdOf(context, response.encounter, "encounter", findings);
  const items = flattenItems(response.item);
  const scores: Record<string, { value: number }> = {};
  const origins: Record<string, string> = {
    clientId: "subject",
    programmeId: "encounter",
    measuredAt: "authored",
    sessionId: "encounter",
  };
  for (const linkId of Object.keys(INSTRUMENT_SCALES[instrument])) {
    const answer = numberAnswer(items, linkId, findings);
    if (answer === undefined) continue;
    scores[linkId] = { value: answer.value };
    origins[`scores.${linkId}`] = answer.path;
  }
  if (!findings.ok || clientId === undefined) return [];
  return [
    {
      type: "evoke.readiness.measured",
      subject: clientId,
      data: defined({ clientId, programmeId, measuredAt, sessionId, instrument, scores }),
      origins,
    },
  ];
}

function mapMitiRating(response: QuestionnaireResponse, context: MappingContext, findings: Findings): EventDraft[] {
  const sessionId = sessionIdOf(context, response.encounter, "encounter", findings);
  // A coder is a member of staff, referred to like a therapist; the prefix tells the roles apart.
  const coderId = therapistIdOf(context, response.author, "author", findings)?.replace(/^thr_/, "coder_");
  const subject =
    response.subject === undefined ? undefined : clientIdOf(context, response.subject, "subject", findings);
  const ratedAt = response.authored === undefined ? undefined : timestampOf(response.authored, "authored", findings);
  const items = flattenItems(response.item);
  const origins: Record<string, string> = { sessionId: "encounter", coderId: "author", ratedAt: "authored" };
  const section = (names: readonly string[], prefix: string) => {
    const values: Record<string, number> = {};
    for (const name of names) {
      const answer = numberAnswer(items, name, findings);
      if (answer === undefined) continue;
      values[name] = answer.value;
      origins[`${prefix}.${name}`] = answer.path;
    }
    return values;
  };
  const globals = section(MITI_GLOBAL_RATINGS, "globals");
  const counts = section(MITI_BEHAVIOUR_COUNTS, "counts");
  const segment = numberAnswer(items, "segmentMinutes", findings);
  if (segment !== undefined) origins.segmentMinutes = segment.path;
  if (!findings.ok) return [];
  return [
    {
      type: "evoke.fidelity.rated",
      subject,
      data: defined({
        sessionId,
        coderId,
        instrument: "MITI-4.2.1",
        globals,
        counts,
        segmentMinutes: segment?.value,
        ratedAt,
      }),
      origins,
    },
  ];
}

export const mapQuestionnaireResponse: Mapper<QuestionnaireResponse> = (response, context, findings) => {
  if (typeof response.questionnaire !== "string") {
    return (
      findings.fail("questionnaire", "is required: the canonical URL of one of Evoke's Questionnaires", "required") ??
      []
    );
  }
  const canonical = canonicalOf(response.questionnaire);
  const instrument = READINESS[canonical];
  if (instrument === undefined && canonical !== QUESTIONNAIRES.miti) {
    return (
      findings.fail(
        "questionnaire",
        `is not a Questionnaire Evoke reads; use one of ${Object.values(QUESTIONNAIRES).join(", ")}`,
        "not-supported",
      ) ?? []
    );
  }
  if (response.status === "in-progress" || response.status === "stopped" || response.status === "entered-in-error") {
    return nothingFor(findings, "status", `A ${response.status} response is not a result: nothing is published.`);
  }
  if (response.status !== "completed" && response.status !== "amended") {
    return (
      findings.fail(
        "status",
        "must be one of in-progress, completed, amended, entered-in-error, stopped",
        "code-invalid",
      ) ?? []
    );
  }
  return instrument === undefined
    ? mapMitiRating(response, context, findings)
    : mapReadiness(response, instrument, context, findings);
};
