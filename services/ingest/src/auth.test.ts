import { Secret } from "@evoke/config";
import { describe, expect, it } from "vitest";
import { createAuthenticator } from "./auth.ts";

const authenticate = createAuthenticator([
  { name: "north-ehr", secret: new Secret("north-secret-0123456789") },
  { name: "south-scheduler", secret: new Secret("south-secret-9876543210") },
]);

describe("createAuthenticator", () => {
  it("names the key a valid secret belongs to", () => {
    expect(authenticate("Bearer north-secret-0123456789")).toEqual({ ok: true, keyName: "north-ehr" });
    expect(authenticate("bearer south-secret-9876543210")).toEqual({ ok: true, keyName: "south-scheduler" });
  });

  it.each([
    [undefined, "has no Authorization header"],
    ["", "has no Authorization header"],
    ["Basic bm9ydGg6c2VjcmV0", "must be of the form: Bearer <secret>"],
    ["Bearer", "must be of the form: Bearer <secret>"],
    ["Bearer two words", "must be of the form: Bearer <secret>"],
    ["Bearer north-secret-012345678", "is not valid"],
    ["Bearer north-ehr", "is not valid"],
  ])("refuses %j: %s", (header, reason) => {
    const result = authenticate(header);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toContain(reason);
  });

  it("never puts the presented secret in its answer", () => {
    expect(JSON.stringify(authenticate("Bearer wrong-but-secret-value"))).not.toContain("wrong-but-secret-value");
  });
});
