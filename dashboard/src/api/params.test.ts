import { describe, expect, it } from "vitest";
import type { Principal } from "../access/principal.ts";
import { ProblemError } from "../http/problems.ts";
import { episodeFilter, filterSchema, parseQuery, resolveScope, sessionScope } from "./params.ts";

const scoped: Principal = { name: "a", role: "analyst", programmeIds: ["prg_a", "prg_b"] };
const everyone: Principal = { name: "d", role: "director", programmeIds: null };

function problemOf(action: () => unknown): ProblemError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("expected a ProblemError");
}

describe("scopes", () => {
  it("keeps a scoped token within its programmes, unasked or asked", () => {
    expect(resolveScope(scoped, {}).programmeIds).toEqual(["prg_a", "prg_b"]);
    expect(resolveScope(scoped, { programme: "prg_b" }).programmeIds).toEqual(["prg_b"]);
    expect(problemOf(() => resolveScope(scoped, { programme: "prg_c" })).slug).toBe("not-found");
    expect(resolveScope(everyone, {}).programmeIds).toBeNull();
    expect(sessionScope(resolveScope(everyone, {}))).toEqual({});
  });

  it("makes the period's end inclusive: sessions before the next day", () => {
    const scope = resolveScope(everyone, { from: "2026-03-01", to: "2026-03-31", therapist: "thr_1" });
    expect(sessionScope(scope)).toEqual({
      therapistIds: ["thr_1"],
      from: new Date("2026-03-01T00:00:00Z"),
      before: new Date("2026-04-01T00:00:00Z"),
    });
    expect(episodeFilter(scope)).toMatchObject({
      enrolledFrom: new Date("2026-03-01T00:00:00Z"),
      enrolledBefore: new Date("2026-04-01T00:00:00Z"),
    });
    expect(problemOf(() => resolveScope(everyone, { from: "2026-03-02", to: "2026-03-01" })).errors).toEqual([
      { field: "to", reason: "must be on or after from" },
    ]);
  });
});

describe("query parameters", () => {
  it("leaves blank parameters out and names every bad one", () => {
    expect(parseQuery(filterSchema, { programme: "", from: "" })).toEqual({});
    const problem = problemOf(() => parseQuery(filterSchema, { from: "2026-02-30", programme: "a b" }));
    expect(problem.slug).toBe("invalid-query");
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(["from", "programme"]);
    expect(problem.detail).toContain("from is not a calendar date");
  });
});
