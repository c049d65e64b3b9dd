import {
  type FidelityGrouping,
  type FidelitySource,
  fidelityByGroup,
  fidelitySeries,
  programmeDirectory,
  type QiSeriesQuery,
  type SessionScope,
  sessionFidelity,
} from "@evoke/analytics";
import { rebuildAllFidelityRollups, recordEvents } from "@evoke/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsClinic } from "../support/analytics-clinic.ts";
import { runMiCli } from "../support/cli.ts";
import { seedDemoClinic } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { expectSame } from "../support/same-figures.ts";

/*
 * The fidelity analytics read the rollups the sink keeps (fidelity_rollups) instead of
 * scanning session_fidelity; the old path stays reachable with `source: "facts"`. On the
 * clinic worked by hand and on a synthetic clinic, every filter the dashboard offers (programme,
 * therapist, coding kind, periods on and off month and week boundaries) and every grouping must
 * give the same answer both ways: counts exactly, means, variances and intervals within float
 * rounding.
 */

const GROUPINGS: readonly FidelityGrouping[] = ["programme", "therapist", "week", "month", "quarter", "all"];

/** The scopes a dashboard reader can ask for, from the clinic's own ids and time span. */
async function scopesOf(database: TestDatabase): Promise<{ name: string; scope: SessionScope }[]> {
  const [span] = await database.sql<{ first: Date; last: Date; programme: string; therapist: string }[]>`
    select min(session_time) as first, max(session_time) as last,
      (select programme_id from session_fidelity where programme_id is not null order by programme_id limit 1) as programme,
      (select therapist_id from session_fidelity where therapist_id is not null order by therapist_id limit 1) as therapist
    from session_fidelity`;
  if (span === undefined) throw new Error("the clinic has no coded sessions");
  const first = new Date(span.first);
  const last = new Date(span.last);
  const day = (time: Date, plusDays = 0) =>
    new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate() + plusDays));
  const monthStart = (time: Date, plusMonths = 0) =>
    new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth() + plusMonths, 1));
  const middle = new Date((first.getTime() + last.getTime()) / 2);
  return [
    { name: "everything", scope: {} },
    { name: "one programme", scope: { programmeIds: [span.programme] } },
    { name: "one therapist", scope: { therapistIds: [span.therapist] } },
    { name: "human ratings", scope: { kind: "human" } },
    { name: "automatic codings of one programme", scope: { kind: "automatic", programmeIds: [span.programme] } },
    // Days off any boundary: ragged edges from the facts, whole months or weeks from the rollups.
    { name: "a period from mid-month to mid-month", scope: { from: day(first, 9), before: day(last, -8) } },
    { name: "from a month's first day", scope: { from: monthStart(middle) } },
    { name: "before a month's first day", scope: { before: monthStart(middle) } },
    { name: "within one month", scope: { from: day(middle), before: day(middle, 3) } },
    {
      name: "a period, one programme",
      scope: { programmeIds: [span.programme], from: day(middle, -40), before: day(middle, 1) },
    },
    {
      name: "a period with nothing in it",
      scope: { from: new Date("2001-01-03T00:00:00Z"), before: new Date("2001-03-04T00:00:00Z") },
    },
  ];
}

const SERIES: readonly Omit<QiSeriesQuery, "scope" | "interval">[] = [
  { measure: { kind: "mean", score: "technical" } },
  { measure: { kind: "mean", score: "reflectionToQuestion" }, chart: "run" },
  { measure: { kind: "share", score: "relational", level: "good" } },
  { measure: { kind: "share", score: "percentComplexReflections", level: "fair" }, chart: "p", laney: true },
];

async function compareBothPaths(database: TestDatabase): Promise<number> {
  let compared = 0;
  const both = async <T>(read: (source: FidelitySource) => Promise<T>, name: string) => {
    const [fromRollups, fromFacts] = await Promise.all([read("rollups"), read("facts")]);
    expectSame(fromRollups, fromFacts, name);
    compared += 1;
    return fromFacts;
  };
  for (const { name, scope } of await scopesOf(database)) {
    for (const by of GROUPINGS) {
      await both((source) => fidelityByGroup(database.db, { by, scope, source }), `${name}, by ${by}`);
    }
    for (const interval of ["week", "month"] as const) {
      for (const series of SERIES) {
        await both(
          (source) => fidelitySeries(database.db, { ...series, scope, interval, source }),
          `${name}, ${interval}ly ${series.measure.kind} of ${series.measure.score}`,
        );
      }
    }
    await both((source) => sessionFidelity(database.db, { scope, limit: 5, source }), `${name}, the session list`);
  }
  const programmes = await both((source) => programmeDirectory(database.db, null, { source }), "the programme list");
  expect(programmes.some((programme) => programme.sessionsCoded > 0)).toBe(true);
  return compared;
}

describe("fidelity from the rollups equals fidelity from the facts", () => {
  let worked: TestDatabase;
  let synthetic: TestDatabase;

  beforeAll(async () => {
    [worked, synthetic] = await Promise.all([
      createTestDatabase("rollups_worked"),
      createTestDatabase("rollups_synth"),
    ]);
    await worked.db.transaction((tx) => recordEvents(tx, analyticsClinic()));
    await seedDemoClinic(synthetic.db, { clients: 120 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([worked?.drop(), synthetic?.drop()]);
  });

  it("on the clinic worked by hand, every filter and grouping", async () => {
    expect(await compareBothPaths(worked)).toBeGreaterThan(100);
  });

  it("on a synthetic clinic, every filter and grouping", async () => {
    expect(await compareBothPaths(synthetic)).toBeGreaterThan(100);
  });

  it("reads the rollups: a rollup row changed behind the sink's back changes the answer", async () => {
    const before = await fidelityByGroup(worked.db, { by: "all" });
    await worked.sql`update fidelity_rollups set sessions = sessions + 1000 where period = 'month'`;
    try {
      const after = await fidelityByGroup(worked.db, { by: "all" });
      expect(after[0]?.sessions).toBeGreaterThan((before[0]?.sessions ?? 0) + 999);
      const facts = await fidelityByGroup(worked.db, { by: "all", source: "facts" });
      expect(facts[0]?.sessions).toBe(before[0]?.sessions);
    } finally {
      await rebuildAllFidelityRollups(worked.db);
    }
  });

  it("answers other thresholds from the facts (the rollups count at the manual's)", async () => {
    const lyssn = {
      technical: { fair: 3.5, good: 4 },
      relational: { fair: 3.5, good: 4 },
      percentComplexReflections: { fair: 0.4, good: 0.5 },
      reflectionToQuestion: { fair: 1, good: 2 },
    };
    const [viaDefault] = await fidelityByGroup(worked.db, { by: "programme", thresholds: lyssn });
    const [viaFacts] = await fidelityByGroup(worked.db, { by: "programme", thresholds: lyssn, source: "facts" });
    expect(viaDefault?.scores.technical.fair).toEqual(viaFacts?.scores.technical.fair);
    expect(viaDefault?.scores.technical.fair.count).toBe(3);
  });

  it("rebuilds to exactly the rows the sink kept, idempotently, and `pnpm mi rollups rebuild` restores lost ones", async () => {
    const kept =
      await synthetic.sql`select * from fidelity_rollups order by period, programme_id, therapist_id, period_start, kind`;
    expect(kept.length).toBeGreaterThan(0);
    const progress: string[] = [];
    await rebuildAllFidelityRollups(synthetic.db, ({ done, total }) => progress.push(`${done}/${total}`));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatch(/^(\d+)\/\1$/);
    const rebuilt =
      await synthetic.sql`select * from fidelity_rollups order by period, programme_id, therapist_id, period_start, kind`;
    expect(rebuilt).toEqual(kept);

    // Rollups lost and stale (as in a database from before them, or facts changed past the sink):
    // the command puts back exactly the sink's, with progress.
    await synthetic.sql`update fidelity_rollups set period_start = '1990-01-01'
      where ctid = (select ctid from fidelity_rollups where period = 'month' limit 1)`;
    await synthetic.sql`delete from fidelity_rollups where period = 'week'`;
    const run = runMiCli(["rollups", "rebuild", "--database", synthetic.url], {});
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/fidelity rollups: \d+\/\d+ months of sessions/);
    expect(run.stderr()).toMatch(/rebuilt [\d,]+ fidelity rollup rows/);
    const restored =
      await synthetic.sql`select * from fidelity_rollups order by period, programme_id, therapist_id, period_start, kind`;
    expect(restored).toEqual(kept);
  }, 120_000);
});
