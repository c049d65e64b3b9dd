import { z } from "zod";
import type { ConfigIssue } from "./load.ts";
import { Secret } from "./secret.ts";
import { DASHBOARD_ROLES, type DashboardRole } from "./variables.ts";

/*
 * Signing in to the dashboard with the organisation's identity provider (OpenID Connect,
 * authorisation code with PKCE). Off unless OIDC_ISSUER is set; then the client id, secret and a
 * redirect URL (or DASHBOARD_PUBLIC_URL to derive it from) are required. Roles come from a claim
 * listing the user's groups, mapped by OIDC_ROLE_MAP; a user matching no entry is refused.
 */

/** One OIDC_ROLE_MAP entry: members of `group` get `role`; `allProgrammes` only when written `role:all`. */
export interface OidcRoleMapping {
  readonly group: string;
  readonly role: DashboardRole;
  readonly allProgrammes: boolean;
}

export interface OidcConfig {
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: Secret;
  readonly redirectUrl: URL;
  /** The provider's name on the sign-in button ("Sign in with …"). */
  readonly providerName: string;
  readonly rolesClaim: string;
  /** In order: the first entry a user's groups match decides the role. */
  readonly roleMap: readonly OidcRoleMapping[];
  /** The claim listing the programme ids a user may see; null: none is read (only `role:all` entries sign in). */
  readonly programmesClaim: string | null;
}

const GROUP = /^[^\s=,]{1,256}$/;

function roleMap() {
  return z
    .string()
    .transform((raw, ctx) => {
      const entries = raw
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      const mappings: OidcRoleMapping[] = [];
      entries.forEach((entry, index) => {
        const [group = "", target = "", ...rest] = entry.split("=");
        const [role = "", scope, ...more] = target.split(":");
        if (!GROUP.test(group) || rest.length > 0 || more.length > 0 || (scope !== undefined && scope !== "all")) {
          ctx.addIssue({
            code: "custom",
            message: `entry ${index + 1} must be group=role or group=role:all (got "${entry}")`,
          });
        } else if (!(DASHBOARD_ROLES as readonly string[]).includes(role)) {
          ctx.addIssue({
            code: "custom",
            message: `the role of group "${group}" must be one of ${DASHBOARD_ROLES.join(", ")} (got "${role}")`,
          });
        } else if (mappings.some((mapping) => mapping.group === group)) {
          ctx.addIssue({ code: "custom", message: `group "${group}" appears twice` });
        } else {
          mappings.push({ group, role: role as DashboardRole, allProgrammes: scope === "all" });
        }
      });
      if (entries.length === 0) ctx.addIssue({ code: "custom", message: "must map at least one group, as group=role" });
      return mappings;
    })
    .optional();
}

function httpUrl() {
  return z
    .string()
    .transform((raw, ctx) => {
      try {
        const url = new URL(raw);
        if (url.protocol === "https:" || url.protocol === "http:") return url;
      } catch {}
      ctx.addIssue({ code: "custom", message: `must be an http(s) URL (got "${raw}")` });
      return z.NEVER;
    })
    .optional();
}

/** The variables, to spread into the dashboard's schema. */
export const oidcVariables = {
  DASHBOARD_PUBLIC_URL: httpUrl().describe(
    "Dashboard: the address browsers use (https://evoke.example.org); the OIDC redirect URL is derived from it when OIDC_REDIRECT_URL is unset.",
  ),
  OIDC_ISSUER: httpUrl().describe(
    "Sign-in with the organisation's identity provider (OpenID Connect): its issuer URL. Unset: token sign-in only.",
  ),
  OIDC_PROVIDER_NAME: z
    .string()
    .default("your organisation")
    .describe('OIDC: the provider\'s name on the sign-in button ("Sign in with …").'),
  OIDC_CLIENT_ID: z.string().optional().describe("OIDC: the dashboard's client id at the provider."),
  OIDC_CLIENT_SECRET: z
    .string()
    .transform((raw) => new Secret(raw))
    .optional()
    .describe("OIDC: the dashboard's client secret (never logged)."),
  OIDC_REDIRECT_URL: httpUrl().describe(
    "OIDC: the callback registered at the provider; default DASHBOARD_PUBLIC_URL + /sign-in/oidc/callback.",
  ),
  OIDC_ROLES_CLAIM: z.string().default("groups").describe("OIDC: the claim listing the user's groups."),
  OIDC_ROLE_MAP: roleMap().describe(
    "OIDC: groups to roles, comma-separated, first match wins: evoke-directors=director,evoke-analysts=analyst; role:all also grants every programme. A user in no listed group is refused.",
  ),
  OIDC_PROGRAMMES_CLAIM: z
    .string()
    .optional()
    .describe(
      "OIDC: the claim listing the programme ids a user may see. Unset or absent from the token: no programmes, so only role:all groups can sign in.",
    ),
};

type OidcEnv = {
  readonly DASHBOARD_PUBLIC_URL?: URL | undefined;
  readonly OIDC_ISSUER?: URL | undefined;
  readonly OIDC_PROVIDER_NAME: string;
  readonly OIDC_CLIENT_ID?: string | undefined;
  readonly OIDC_CLIENT_SECRET?: Secret | undefined;
  readonly OIDC_REDIRECT_URL?: URL | undefined;
  readonly OIDC_ROLES_CLAIM: string;
  readonly OIDC_ROLE_MAP?: readonly OidcRoleMapping[] | undefined;
  readonly OIDC_PROGRAMMES_CLAIM?: string | undefined;
};

/** What is missing once OIDC_ISSUER turns sign-in with the provider on. */
export function oidcIssues(env: OidcEnv): ConfigIssue[] {
  if (env.OIDC_ISSUER === undefined) return [];
  const issues: ConfigIssue[] = [];
  const needed = { OIDC_CLIENT_ID: env.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: env.OIDC_CLIENT_SECRET };
  for (const [variable, value] of Object.entries(needed)) {
    if (value === undefined) issues.push({ variable, message: "must be set when OIDC_ISSUER is" });
  }
  if (env.OIDC_ROLE_MAP === undefined) {
    issues.push({
      variable: "OIDC_ROLE_MAP",
      message: "must be set when OIDC_ISSUER is (e.g. evoke-directors=director)",
    });
  }
  if (env.OIDC_REDIRECT_URL === undefined && env.DASHBOARD_PUBLIC_URL === undefined) {
    issues.push({
      variable: "OIDC_REDIRECT_URL",
      message: "must be set when OIDC_ISSUER is (or set DASHBOARD_PUBLIC_URL to derive it)",
    });
  }
  return issues;
}

/** The OIDC settings, or null when OIDC_ISSUER is unset (oidcIssues has vouched for the rest). */
export function oidcConfig(env: OidcEnv): OidcConfig | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  if (issuer === undefined || clientId === undefined || clientSecret === undefined) return null;
  const redirectUrl = env.OIDC_REDIRECT_URL ?? new URL("/sign-in/oidc/callback", env.DASHBOARD_PUBLIC_URL);
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUrl,
    providerName: env.OIDC_PROVIDER_NAME,
    rolesClaim: env.OIDC_ROLES_CLAIM,
    roleMap: env.OIDC_ROLE_MAP ?? [],
    programmesClaim: env.OIDC_PROGRAMMES_CLAIM ?? null,
  };
}
