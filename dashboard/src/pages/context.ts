import { type ProgrammeName, programmeNames, type TherapistEntry, therapistDirectory } from "@evoke/analytics";
import type { Principal } from "../access/principal.ts";
import type { DashboardDeps } from "../api/endpoint.ts";

/** What a page handler gets: the dependencies, who asks, the query, and the filter bar's choices. */
export interface PageContext {
  readonly deps: DashboardDeps;
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly programmes: readonly ProgrammeName[];
  readonly therapists: readonly TherapistEntry[];
}

export async function pageContext(
  deps: DashboardDeps,
  principal: Principal,
  params: Readonly<Record<string, string>>,
): Promise<PageContext> {
  const [programmes, therapists] = await Promise.all([
    programmeNames(deps.db, principal.programmeIds),
    therapistDirectory(deps.db, principal.programmeIds),
  ]);
  return { deps, principal, params, programmes, therapists };
}
