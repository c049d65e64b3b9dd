import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load.ts";
import { dashboardConfig } from "./services/dashboard.ts";

const base = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/evoke",
  DASHBOARD_TOKENS: "boss:0123456789abcdef:director",
};
const oidc = {
  OIDC_ISSUER: "https://id.example.org/realms/clinic",
  OIDC_CLIENT_ID: "evoke-dashboard",
  OIDC_CLIENT_SECRET: "client-secret-value",
  OIDC_ROLE_MAP: "evoke-directors=director:all, evoke-analysts=analyst,evoke-engineers=engineer",
  DASHBOARD_PUBLIC_URL: "https://evoke.example.org",
};

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(dashboardConfig, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.variable}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe("OIDC and session configuration", () => {
  it("is off without OIDC_ISSUER, with 30-minute idle and 12-hour absolute sessions", () => {
    const config = loadConfig(dashboardConfig, base);
    expect(config.oidc).toBeNull();
    expect(config.sessions).toEqual({ idleSeconds: 1800, absoluteSeconds: 43_200 });
    const custom = loadConfig(dashboardConfig, { ...base, SESSION_IDLE_MINUTES: "5", SESSION_ABSOLUTE_HOURS: "1" });
    expect(custom.sessions).toEqual({ idleSeconds: 300, absoluteSeconds: 3600 });
    expect(issuesOf({ SESSION_IDLE_MINUTES: "0" })).toEqual([
      'SESSION_IDLE_MINUTES: must be a whole number of at least 1 (got "0")',
    ]);
  });

  it("reads the issuer, client, role map and a redirect URL derived from DASHBOARD_PUBLIC_URL", () => {
    const config = loadConfig(dashboardConfig, { ...base, ...oidc });
    expect(config.oidc).toMatchObject({
      clientId: "evoke-dashboard",
      rolesClaim: "groups",
      programmesClaim: null,
      roleMap: [
        { group: "evoke-directors", role: "director", allProgrammes: true },
        { group: "evoke-analysts", role: "analyst", allProgrammes: false },
        { group: "evoke-engineers", role: "engineer", allProgrammes: false },
      ],
    });
    expect(config.oidc?.issuer.href).toBe("https://id.example.org/realms/clinic");
    expect(config.oidc?.redirectUrl.href).toBe("https://evoke.example.org/sign-in/oidc/callback");
    expect(config.oidc?.clientSecret.reveal()).toBe("client-secret-value");
    expect(JSON.stringify(config.oidc)).not.toContain("client-secret-value");
    const explicit = loadConfig(dashboardConfig, {
      ...base,
      ...oidc,
      OIDC_REDIRECT_URL: "https://evoke.example.org/cb",
      OIDC_ROLES_CLAIM: "roles",
      OIDC_PROGRAMMES_CLAIM: "programmes",
    });
    expect(explicit.oidc).toMatchObject({ rolesClaim: "roles", programmesClaim: "programmes" });
    expect(explicit.oidc?.redirectUrl.href).toBe("https://evoke.example.org/cb");
  });

  it("names what is missing once OIDC_ISSUER is set", () => {
    expect(issuesOf({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toEqual([
      "OIDC_CLIENT_ID: must be set when OIDC_ISSUER is",
      "OIDC_CLIENT_SECRET: must be set when OIDC_ISSUER is",
      "OIDC_ROLE_MAP: must be set when OIDC_ISSUER is (e.g. evoke-directors=director)",
      "OIDC_REDIRECT_URL: must be set when OIDC_ISSUER is (or set DASHBOARD_PUBLIC_URL to derive it)",
    ]);
  });

  it("refuses a malformed role map or issuer, without echoing the client secret", () => {
    const issues = issuesOf({ ...oidc, OIDC_ROLE_MAP: "evoke-directors=boss,x=analyst:some,evoke-directors=analyst" });
    expect(issues).toEqual([
      'OIDC_ROLE_MAP: the role of group "evoke-directors" must be one of director, analyst, engineer (got "boss")',
      'OIDC_ROLE_MAP: entry 2 must be group=role or group=role:all (got "x=analyst:some")',
    ]);
    expect(issuesOf({ ...oidc, OIDC_ISSUER: "id.example.org" })).toEqual([
      'OIDC_ISSUER: must be an http(s) URL (got "id.example.org")',
    ]);
    expect(issuesOf({ ...oidc, OIDC_ROLE_MAP: "a=analyst,a=director" })).toEqual([
      'OIDC_ROLE_MAP: group "a" appears twice',
    ]);
    expect(issues.join("\n")).not.toContain("client-secret-value");
  });
});
