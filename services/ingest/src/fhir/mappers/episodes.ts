import { DISCHARGE_REASONS } from "@evoke/events";
import type { EpisodeOfCare } from "@medplum/fhirtypes";
import { EVOKE_FHIR_BASE } from "../canonical.ts";
import { clientIdOf, programmeIdOf, timestampOf } from "../context.ts";
import { type EventDraft, type Mapper, nothingFor } from "./draft.ts";

/** R4's EpisodeOfCare has no element for why it ended; Evoke reads this extension (valueCode). */
export const DISCHARGE_REASON_EXTENSION = `${EVOKE_FHIR_BASE}/StructureDefinition/discharge-reason`;

const ENROLLED_STATUSES = new Set(["active", "onhold", "finished"]);
const NOT_STARTED = new Set(["planned", "waitlist"]);

/**
 * EpisodeOfCare → evoke.client.enrolled (from period.start) and, once finished, also
 * evoke.client.discharged (period.end, with the reason from the discharge-reason extension).
 */
export const mapEpisodeOfCare: Mapper<EpisodeOfCare> = (episode, context, findings) => {
  const status = episode.status;
  if (typeof status !== "string") return findings.fail("status", "is required", "required") ?? [];
  if (NOT_STARTED.has(status)) {
    return nothingFor(findings, "status", `An episode that is ${status} has not started: nothing is published yet.`);
  }
  if (status === "cancelled" || status === "entered-in-error") {
    return nothingFor(findings, "status", `A ${status} episode is not an enrolment: nothing is published.`);
  }
  if (!ENROLLED_STATUSES.has(status)) {
    return (
      findings.fail(
        "status",
        "must be one of planned, waitlist, active, onhold, finished, cancelled, entered-in-error",
        "code-invalid",
      ) ?? []
    );
  }
  const clientId = clientIdOf(context, episode.patient, "patient", findings);
  const programmeId = programmeIdOf(context, episode.managingOrganization, "managingOrganization", findings);
  const enrolledAt = timestampOf(episode.period?.start, "period.start", findings);
  let discharge: { dischargedAt: string | undefined; reason: string | undefined } | undefined;
  if (status === "finished") {
    const extension = episode.extension?.findIndex((candidate) => candidate.url === DISCHARGE_REASON_EXTENSION) ?? -1;
    const reason = extension === -1 ? undefined : episode.extension?.[extension]?.valueCode;
    if (reason === undefined) {
      findings.fail(
        "extension",
        `is required on a finished episode: the discharge-reason extension (${DISCHARGE_REASON_EXTENSION}) with valueCode ${DISCHARGE_REASONS.join(", ")}`,
        "required",
      );
    } else if (!(DISCHARGE_REASONS as readonly string[]).includes(reason)) {
      findings.fail(
        `extension[${extension}].valueCode`,
        `must be one of ${DISCHARGE_REASONS.join(", ")}`,
        "code-invalid",
      );
    }
    discharge = { dischargedAt: timestampOf(episode.period?.end, "period.end", findings), reason };
  }
  if (!findings.ok || clientId === undefined || programmeId === undefined) return [];
  const events: EventDraft[] = [
    {
      type: "evoke.client.enrolled",
      subject: clientId,
      data: { clientId, programmeId, enrolledAt },
      origins: { clientId: "patient", programmeId: "managingOrganization", enrolledAt: "period.start" },
    },
  ];
  if (discharge !== undefined) {
    events.push({
      type: "evoke.client.discharged",
      subject: clientId,
      data: { clientId, programmeId, ...discharge },
      origins: {
        clientId: "patient",
        programmeId: "managingOrganization",
        dischargedAt: "period.end",
        reason: "extension",
      },
    });
  }
  return events;
};
