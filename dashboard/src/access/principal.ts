import type { DashboardRole } from "@evoke/config";

/*
 * Who is asking and what they may do. Roles grant capabilities; a token's programmes bound
 * every answer (null: the whole organisation). Checked once per request, at the edge, so a
 * handler never forgets to.
 */

export interface Principal {
  /** The token's name: shown as "signed in as", written on annotations, logged. Never the secret. */
  readonly name: string;
  readonly role: DashboardRole;
  readonly programmeIds: readonly string[] | null;
  /** Signed in through the identity provider (name is then its subject); absent: a token. */
  readonly via?: "oidc";
}

export type Capability =
  /** Aggregates, charts, cohort tools, session scores and codes. */
  | "aggregates"
  /** The words of a transcript. */
  | "transcripts"
  /** Adding and removing chart annotations. */
  | "annotate"
  /** Consumer lag, dead letters, model versions. */
  | "pipeline"
  /** The access audit trail: who read what. */
  | "audit"
  /** Erasing a client on request (GDPR): their facts and every row derived from them. */
  | "erase"
  /** Uploading CSV files to ingest (the Import page). */
  | "import";

const GRANTS: Record<DashboardRole, readonly Capability[]> = {
  director: ["aggregates", "transcripts", "annotate", "pipeline", "audit", "erase", "import"],
  analyst: ["aggregates", "annotate"],
  engineer: ["pipeline", "import"],
};

/** The roles granted a capability, as a phrase ("director or analyst"). */
export function rolesWith(capability: Capability, separator = " or "): string {
  return (Object.keys(GRANTS) as DashboardRole[]).filter((role) => GRANTS[role].includes(capability)).join(separator);
}

export function can(principal: Principal, capability: Capability): boolean {
  return GRANTS[principal.role].includes(capability);
}

/** Whether the principal may see a programme's data (an unknown programme is never visible to a scoped token). */
export function seesProgramme(principal: Principal, programmeId: string | null): boolean {
  if (principal.programmeIds === null) return true;
  return programmeId !== null && principal.programmeIds.includes(programmeId);
}
