import { describe, expect, it } from "vitest";
import { auditableId, outcomeOf } from "./trail.ts";

describe("audit rows", () => {
  it("call a success allowed, a refusal or hidden resource denied, anything else failed", () => {
    expect([200, 201, 204, 303].map(outcomeOf)).toEqual(["allowed", "allowed", "allowed", "allowed"]);
    expect([403, 404].map(outcomeOf)).toEqual(["denied", "denied"]);
    expect([400, 401, 500].map(outcomeOf)).toEqual(["failed", "failed", "failed"]);
  });

  it("keep ids and drop anything else a parameter may carry", () => {
    expect(auditableId("ses_demo_0018_01")).toBe("ses_demo_0018_01");
    expect(auditableId("I told my sister everything")).toBeNull();
    expect(auditableId("x".repeat(129))).toBeNull();
    expect(auditableId(undefined)).toBeNull();
  });
});
