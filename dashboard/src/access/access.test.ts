import { Secret } from "@evoke/config";
import { describe, expect, it } from "vitest";
import { can, type Principal, seesProgramme } from "./principal.ts";
import { bearerSecret, createTokenCheck } from "./tokens.ts";

const director: Principal = { name: "d", role: "director", programmeIds: ["prg_a"] };

describe("tokens", () => {
  const check = createTokenCheck([
    { name: "d", secret: new Secret("director-secret-123"), role: "director", programmeIds: ["prg_a"] },
    { name: "e", secret: new Secret("engineer-secret-123"), role: "engineer", programmeIds: null },
  ]);

  it("finds the token's principal by its secret, and nobody for another", () => {
    expect(check("director-secret-123")).toEqual(director);
    expect(check("engineer-secret-123")?.role).toBe("engineer");
    expect(check("director-secret-12")).toBeNull();
    expect(check("")).toBeNull();
  });

  it("reads only Bearer authorisation headers", () => {
    expect(bearerSecret("Bearer abc")).toBe("abc");
    expect(bearerSecret("bearer  abc ")).toBe("abc");
    expect(bearerSecret("Basic abc")).toBeNull();
    expect(bearerSecret(undefined)).toBeNull();
  });
});

describe("roles and programmes", () => {
  it("grants transcripts to directors only, pipeline health to directors and engineers", () => {
    const analyst: Principal = { ...director, role: "analyst" };
    const engineer: Principal = { ...director, role: "engineer" };
    expect([can(director, "transcripts"), can(analyst, "transcripts"), can(engineer, "transcripts")]).toEqual([
      true,
      false,
      false,
    ]);
    expect([can(director, "pipeline"), can(analyst, "pipeline"), can(engineer, "pipeline")]).toEqual([
      true,
      false,
      true,
    ]);
    expect([can(director, "aggregates"), can(analyst, "aggregates"), can(engineer, "aggregates")]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it("limits a scoped token to its programmes; an unscoped one sees all", () => {
    expect(seesProgramme(director, "prg_a")).toBe(true);
    expect(seesProgramme(director, "prg_b")).toBe(false);
    expect(seesProgramme(director, null)).toBe(false);
    expect(seesProgramme({ ...director, programmeIds: null }, "prg_b")).toBe(true);
  });
});
