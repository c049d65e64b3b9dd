import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { episodeCondition, sessionCondition } from "./filters.ts";

const dialect = new PgDialect({ casing: "snake_case" });

describe("cohort filters", () => {
  it("become parameterised conditions: user text never enters the SQL", () => {
    const hostile = "gp'); drop table client_outcomes; --";
    const query = dialect.sqlToQuery(
      episodeCondition({
        programmeIds: ["prg_1", "prg_2"],
        referralSources: [hostile],
        enrolledFrom: new Date("2026-01-01T00:00:00Z"),
        tags: ["pilot"],
      }),
    );
    expect(query.sql).not.toContain("drop table");
    expect(query.sql).toContain('"client_outcomes"."programme_id" in ($1, $2)');
    expect(query.sql).toContain('"client_outcomes"."referral_source" in ($4)');
    expect(query.sql).toContain('"client_outcomes"."tags" && $5');
    expect(query.params).toContain(hostile);
  });

  it("is true when empty, so an empty filter means everyone", () => {
    expect(dialect.sqlToQuery(episodeCondition({})).sql).toBe("true");
    expect(dialect.sqlToQuery(sessionCondition({})).sql).toBe("true");
  });

  it("scopes sessions by programme, therapist, time and coding kind", () => {
    const query = dialect.sqlToQuery(
      sessionCondition({ therapistIds: ["thr_1"], before: new Date("2026-02-01T00:00:00Z"), kind: "human" }),
    );
    expect(query.sql).toBe(
      '("session_fidelity"."therapist_id" in ($1) and "session_fidelity"."session_time" < $2 and "session_fidelity"."kind" = $3)',
    );
    expect(query.params).toEqual(["thr_1", "2026-02-01T00:00:00.000Z", "human"]);
  });
});
