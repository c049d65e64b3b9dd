import { describe, expect, it } from "vitest";
import { actorName, principalFromClaims } from "./oidc-claims.ts";

const config = {
  rolesClaim: "groups",
  roleMap: [
    { group: "evoke-directors", role: "director" as const, allProgrammes: true },
    { group: "evoke-analysts", role: "analyst" as const, allProgrammes: false },
    { group: "evoke-engineers", role: "engineer" as const, allProgrammes: false },
  ],
  programmesClaim: "evoke_programmes",
};

describe("OIDC claims to a principal", () => {
  it("gives a mapped group its role; role:all sees every programme", () => {
    expect(principalFromClaims({ sub: "u1", groups: ["other", "evoke-directors"] }, config)).toEqual({
      ok: true,
      principal: { name: "u1", role: "director", programmeIds: null, via: "oidc" },
    });
  });

  it("takes the first matching entry of the map, not the first group of the user", () => {
    const mapped = principalFromClaims({ sub: "u1", groups: ["evoke-analysts", "evoke-directors"] }, config);
    expect(mapped.ok && mapped.principal.role).toBe("director");
  });

  it("scopes other roles to the programmes claim, as a list or a space-separated string", () => {
    expect(
      principalFromClaims(
        { sub: "u2", groups: ["evoke-analysts"], evoke_programmes: ["prg_a", "prg_b", "prg_a"] },
        config,
      ),
    ).toEqual({ ok: true, principal: { name: "u2", role: "analyst", programmeIds: ["prg_a", "prg_b"], via: "oidc" } });
    const spaced = principalFromClaims(
      { sub: "u2", groups: "evoke-engineers", evoke_programmes: "prg_c prg_d" },
      config,
    );
    expect(spaced.ok && spaced.principal).toMatchObject({ role: "engineer", programmeIds: ["prg_c", "prg_d"] });
  });

  it("refuses a user in no mapped group, or with no claim at all", () => {
    for (const claims of [{ sub: "u3", groups: ["staff"] }, { sub: "u3" }, { sub: "u3", groups: 7 }]) {
      const mapped = principalFromClaims(claims, config);
      expect(mapped).toMatchObject({ ok: false, actor: "u3" });
      expect(!mapped.ok && mapped.reason).toContain("not in a group");
    }
  });

  it("refuses a scoped role without programmes: the safe default when the claim is missing or unset", () => {
    expect(principalFromClaims({ sub: "u4", groups: ["evoke-analysts"] }, config)).toMatchObject({ ok: false });
    expect(
      principalFromClaims({ sub: "u4", groups: ["evoke-analysts"], evoke_programmes: ["bad id!"] }, config),
    ).toMatchObject({ ok: false });
    expect(
      principalFromClaims(
        { sub: "u4", groups: ["evoke-analysts"], evoke_programmes: ["prg_a"] },
        { ...config, programmesClaim: null },
      ),
    ).toMatchObject({ ok: false, reason: expect.stringContaining("programme") });
  });

  it("names the user by a plain preferred_username, else the subject, never an email address", () => {
    expect(actorName({ sub: "abc-123", preferred_username: "jsmith" })).toBe("jsmith");
    expect(actorName({ sub: "abc-123", preferred_username: "j.smith@example.org" })).toBe("abc-123");
    expect(actorName({ sub: "abc-123", email: "j@example.org" })).toBe("abc-123");
    expect(actorName({})).toBeNull();
  });
});
