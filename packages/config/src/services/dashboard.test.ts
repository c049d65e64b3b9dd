import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../load.ts";
import { dashboardConfig } from "./dashboard.ts";

const base = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/evoke" };

function issuesFor(tokens: string): string[] {
  try {
    loadConfig(dashboardConfig, { ...base, DASHBOARD_TOKENS: tokens });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.message);
    throw error;
  }
  return [];
}

describe("DASHBOARD_TOKENS", () => {
  it("reads name:secret:role[:programmes] entries, scoped or not", () => {
    const config = loadConfig(dashboardConfig, {
      ...base,
      DASHBOARD_TOKENS: "boss:0123456789abcdef:director, qi:fedcba9876543210:analyst:prg_a|prg_b",
    });
    expect(config.tokens.map(({ name, role, programmeIds }) => ({ name, role, programmeIds }))).toEqual([
      { name: "boss", role: "director", programmeIds: null },
      { name: "qi", role: "analyst", programmeIds: ["prg_a", "prg_b"] },
    ]);
    expect(config.tokens[0]?.secret.reveal()).toBe("0123456789abcdef");
    expect(config.http.port).toBe(3000);
    expect(config.kafka).toBeNull();
  });

  it("says which entry is wrong and why, never echoing a secret", () => {
    expect(issuesFor("boss:0123456789abcdef:owner")[0]).toContain(
      'must be one of director, analyst, engineer (got "owner")',
    );
    expect(issuesFor("boss:short:director")[0]).toContain('the secret of token "boss" must be at least 16 characters');
    expect(issuesFor("bad name:0123456789abcdef:director")[0]).toContain("entry 1 must be name:secret:role");
    expect(issuesFor("a:0123456789abcdef:director,a:0123456789abcdeg:analyst")[0]).toContain('"a" appears twice');
    expect(issuesFor("a:0123456789abcdef:director:prg a")[0]).toContain("programme ids separated by '|'");
    for (const message of issuesFor("boss:0123456789abcdef:owner,x:secret-not-shown:director")) {
      expect(message).not.toContain("0123456789abcdef");
      expect(message).not.toContain("secret-not-shown");
    }
  });
});
