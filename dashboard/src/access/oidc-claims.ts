import type { OidcConfig } from "@evoke/config";
import type { Principal } from "./principal.ts";

/*
 * From an id token's claims to a principal, or a refusal saying why. The role is that of the
 * first OIDC_ROLE_MAP entry the user's groups match. Programmes come from OIDC_PROGRAMMES_CLAIM;
 * only a `role:all` entry grants every programme. The safe default: no claim, no programmes, and
 * a user who would see nothing is refused rather than signed in to empty pages.
 */

export type ClaimsMapping =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly actor: string | null; readonly reason: string };

type MappingConfig = Pick<OidcConfig, "rolesClaim" | "roleMap" | "programmesClaim">;

const PROGRAMME_ID = /^[A-Za-z0-9_.~-]{1,128}$/;
const NAME = /^[A-Za-z0-9_.:~-]{1,128}$/;

/** A claim holding a list of strings, or one space- or comma-separated string. */
function stringList(value: unknown): string[] | null {
  if (typeof value === "string") return value.split(/[\s,]+/).filter((item) => item !== "");
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
  return null;
}

/**
 * The name a user is shown and audited by: `preferred_username` when it is a plain id (not an
 * email address: the audit trail holds pseudonymous ids), else the subject.
 */
export function actorName(claims: Readonly<Record<string, unknown>>): string | null {
  const preferred = claims.preferred_username;
  if (typeof preferred === "string" && NAME.test(preferred) && !preferred.includes("@")) return preferred;
  return typeof claims.sub === "string" && NAME.test(claims.sub) ? claims.sub : null;
}

export function principalFromClaims(claims: Readonly<Record<string, unknown>>, config: MappingConfig): ClaimsMapping {
  const actor = actorName(claims);
  if (actor === null) return { ok: false, actor: null, reason: "The identity provider sent no usable subject." };
  const groups = stringList(claims[config.rolesClaim]) ?? [];
  const mapping = config.roleMap.find((entry) => groups.includes(entry.group));
  if (mapping === undefined) {
    return {
      ok: false,
      actor,
      reason: `Your account is not in a group that may use the dashboard (${config.roleMap.map((entry) => entry.group).join(", ")}). Ask whoever runs Evoke to add you.`,
    };
  }
  if (mapping.allProgrammes)
    return { ok: true, principal: { name: actor, role: mapping.role, programmeIds: null, via: "oidc" } };
  const claimed = config.programmesClaim === null ? [] : (stringList(claims[config.programmesClaim]) ?? []);
  const programmeIds = [...new Set(claimed.filter((id) => PROGRAMME_ID.test(id)))];
  if (programmeIds.length === 0) {
    return {
      ok: false,
      actor,
      reason: "Your account is not given any programme to see. Ask whoever runs Evoke to add your programmes.",
    };
  }
  return { ok: true, principal: { name: actor, role: mapping.role, programmeIds, via: "oidc" } };
}
