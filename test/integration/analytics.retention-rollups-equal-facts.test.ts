import {
  type Cohort,
  compareCohorts,
  type RetentionSource,
  retentionByFidelityTier,
  retentionMilestonesByProgramme,
} from "@evoke/analytics";
import { eraseClient, migrateDatabase, rebuildAllRetentionRollups, recordEvents } from "@evoke/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsClinic } from "../support/analytics-clinic.ts";
import { runMiCli } from "../support/cli.ts";
import { seedDemoClinic } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { expectSame } from "../support/same-figures.ts";

/*
 * Retention reads the rollups the sink keeps (retention_rollups, retention_survival_rollups)
 * plus the episodes whose figures still depend on the day the analysis looks from (asOf); the
 * old path stays reachable with `source: "facts"`. On the clinic worked by hand and on a synthetic
 * clinic, at days before, at and after enrolments, milestones and discharges (to the millisecond,
 * and mid-day), every retention question the dashboard asks must give the same answer both ways.
 */

const DAY = 86_400_000;

/** The days to look from, taken from the clinic's own enrolments and discharges. */
async function asOfDays(database: TestDatabase): Promise<{ name: string; asOf: Date }[]> {
  const episodes = await database.sql<
    { enrolled_at: Date; discharged_at: Date | null; next_enrolled_at: Date | null }[]
  >`
    select enrolled_at, discharged_at, next_enrolled_at from client_outcomes order by enrolled_at, client_id`;
  if (episodes.length === 0) throw new Error("the clinic has no episodes");
  const enrolled = episodes.map((row) => new Date(row.enrolled_at).getTime());
  const discharged = episodes.flatMap((row) =>
    row.discharged_at === null ? [] : [new Date(row.discharged_at).getTime()],
  );
  const first = Math.min(...enrolled);
  const last = Math.max(...enrolled);
  const middle = enrolled[Math.floor(enrolled.length / 2)] as number;
  const aDischarge = discharged[Math.floor(discharged.length / 2)] ?? middle + 45 * DAY;
  const reEnrolment = episodes.find((row) => row.next_enrolled_at !== null)?.next_enrolled_at;
  const at = (name: string, time: number) => ({ name, asOf: new Date(time) });
  return [
    at("before any enrolment", first - DAY),
    at("at an enrolment, to the millisecond", middle),
    at("30 days after an enrolment, to the millisecond", middle + 30 * DAY),
    at("a millisecond before 90 days after an enrolment", middle + 90 * DAY - 1),
    at("mid-day between enrolments", (first + last) / 2 + 0.41 * DAY),
    at("at a discharge", aDischarge),
    at("an hour before a discharge", aDischarge - DAY / 24),
    at("an hour after a discharge", aDischarge + DAY / 24),
    at("89.5 days after the last enrolment", last + 89.5 * DAY),
    at("a month after the last enrolment's 90 days", last + 121.3 * DAY),
    at("long after everything", last + 700 * DAY),
    ...(reEnrolment === undefined || reEnrolment === null
      ? []
      : [at("at a re-enrolment", new Date(reEnrolment).getTime())]),
  ];
}

async function compareBothPaths(database: TestDatabase): Promise<number> {
  const [ids] = await database.sql<{ programme: string; referrals: string[] }[]>`
    select (select programme_id from client_outcomes order by programme_id limit 1) as programme,
      (select array_agg(distinct referral_source order by referral_source) from client_outcomes
        where referral_source is not null) as referrals`;
  if (ids === undefined || ids.referrals.length === 0) throw new Error("the clinic has no referral sources");
  const [referral, other = referral] = ids.referrals as [string, ...string[]];
  let compared = 0;
  const both = async <T>(read: (source: RetentionSource) => Promise<T>, name: string) => {
    const [fromRollups, fromFacts] = await Promise.all([read("rollups"), read("facts")]);
    expectSame(fromRollups, fromFacts, name);
    compared += 1;
  };
  const cohorts: Cohort[] = [
    { name: "first referral", filter: { referralSources: [referral] } },
    { name: "another referral", filter: { referralSources: [other] } },
    { name: "everyone", filter: {} },
  ];
  for (const { name, asOf } of await asOfDays(database)) {
    for (const tierBy of ["both", "technical", "relational"] as const) {
      await both(
        (source) => retentionByFidelityTier(database.db, { asOf, tierBy, source }),
        `${name}, tiers (${tierBy})`,
      );
    }
    await both(
      (source) => retentionByFidelityTier(database.db, { asOf, filter: { referralSources: [referral] }, source }),
      `${name}, tiers of one referral source`,
    );
    for (const filter of [{}, { programmeIds: [ids.programme] }, { referralSources: [referral, other] }]) {
      await both(
        (source) => retentionMilestonesByProgramme(database.db, { asOf, filter, source }),
        `${name}, milestones by programme of ${JSON.stringify(filter)}`,
      );
    }
    for (const retentionDays of [30, 90]) {
      await both(
        (source) => compareCohorts(database.db, { cohorts, asOf, retentionDays, source }),
        `${name}, cohorts at ${retentionDays} days`,
      );
    }
  }
  return compared;
}

const ROLLUPS = {
  milestones:
    "select * from retention_rollups order by programme_id, referral_source, technical_level, relational_level, enrolled_month, ended",
  survival:
    "select * from retention_survival_rollups order by referral_source, technical_level, relational_level, days, event",
} as const;

async function keptRollups(database: TestDatabase): Promise<Record<keyof typeof ROLLUPS, unknown[]>> {
  return {
    milestones: [...(await database.sql.unsafe(ROLLUPS.milestones))],
    survival: [...(await database.sql.unsafe(ROLLUPS.survival))],
  };
}

describe("retention from the rollups equals retention from the facts", () => {
  let worked: TestDatabase;
  let synthetic: TestDatabase;

  beforeAll(async () => {
    [worked, synthetic] = await Promise.all([
      createTestDatabase("retention_rollups_worked"),
      createTestDatabase("retention_rollups_synth"),
    ]);
    await worked.db.transaction((tx) => recordEvents(tx, analyticsClinic()));
    await seedDemoClinic(synthetic.db, { clients: 120 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([worked?.drop(), synthetic?.drop()]);
  });

  it("on the clinic worked by hand, at every day looked from", async () => {
    expect(await compareBothPaths(worked)).toBeGreaterThan(80);
  }, 120_000);

  it("on a synthetic clinic, at every day looked from", async () => {
    const [shape] = await synthetic.sql<{ ended: number; open: number }[]>`
      select count(*) filter (where discharged_at is not null)::int as ended,
        count(*) filter (where discharged_at is null)::int as open from client_outcomes`;
    // Both kinds of episode, so both sides of the rollups are exercised.
    expect(shape?.ended).toBeGreaterThan(10);
    expect(shape?.open).toBeGreaterThan(10);
    expect(await compareBothPaths(synthetic)).toBeGreaterThan(80);
  }, 300_000);

  it("reads the rollups: a rollup row changed behind the sink's back changes the answer", async () => {
    const asOf = new Date("2030-01-01T00:00:00Z");
    const before = await retentionByFidelityTier(worked.db, { asOf });
    await worked.sql`update retention_rollups set episodes = episodes + 1000, retained90 = retained90 + 1000, eligible90 = eligible90 + 1000`;
    await worked.sql`update retention_survival_rollups set episodes = episodes + 7`;
    try {
      const after = await retentionByFidelityTier(worked.db, { asOf });
      expect(after.overall.episodes).toBeGreaterThan(before.overall.episodes + 999);
      expect(after.overall.survival.points[0]?.atRisk).toBeGreaterThan(before.overall.survival.points[0]?.atRisk ?? 0);
      const milestones = await retentionMilestonesByProgramme(worked.db, { asOf });
      expect(milestones[0]?.episodes).toBeGreaterThan(999);
      const facts = await retentionByFidelityTier(worked.db, { asOf, source: "facts" });
      expect(facts.overall.episodes).toBe(before.overall.episodes);
    } finally {
      await rebuildAllRetentionRollups(worked.db);
    }
    expectSame(await retentionByFidelityTier(worked.db, { asOf }), before, "after the rebuild", ["now", "before"]);
  });

  it("the sink keeps exactly what a rebuild computes, an erasure takes a client's episodes out, and `pnpm mi rollups rebuild` restores lost rows", async () => {
    const kept = await keptRollups(synthetic);
    expect(kept.milestones.length).toBeGreaterThan(0);
    expect(kept.survival.length).toBeGreaterThan(0);
    const progress: string[] = [];
    await rebuildAllRetentionRollups(synthetic.db, ({ done, total }) => progress.push(`${done}/${total}`));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatch(/^(\d+)\/\1$/);
    expect(await keptRollups(synthetic)).toEqual(kept);

    // An erased client's episodes leave the rollups with them (the rollups then equal a rebuild).
    const [client] = await synthetic.sql<{ client_id: string }[]>`
      select client_id from client_outcomes where discharged_at is not null order by client_id limit 1`;
    if (client === undefined) throw new Error("no discharged client to erase");
    const [episodes] = await synthetic.sql<{ count: number }[]>`select count(*)::int from client_outcomes`;
    await eraseClient(synthetic.db, { clientId: client.client_id, erasedBy: "test" });
    const afterErasure = await keptRollups(synthetic);
    expect(afterErasure).not.toEqual(kept);
    const [total] = await synthetic.sql<
      { episodes: number }[]
    >`select sum(episodes)::int as episodes from retention_rollups`;
    expect(total?.episodes).toBe((episodes?.count ?? 0) - 1);
    await rebuildAllRetentionRollups(synthetic.db);
    expect(await keptRollups(synthetic)).toEqual(afterErasure);

    // Rollups lost and stale: the command puts back exactly the sink's, with progress.
    await synthetic.sql`update retention_rollups set enrolled_month = '1990-01-01'
      where ctid = (select ctid from retention_rollups limit 1)`;
    await synthetic.sql`delete from retention_survival_rollups where event`;
    // And the ledger's per-minute counts, one row lost and one doubled.
    const ledgerCounts = () => synthetic.sql<{ type: string; events: number }[]>`
      select event_type as type, count(*)::int as events from processed_events group by 1 order by 1`;
    const minuteCounts = () => synthetic.sql<{ type: string; events: number }[]>`
      select event_type as type, sum(events)::int as events from processed_event_minutes group by 1 order by 1`;
    const ledger = await ledgerCounts();
    expect(ledger.length).toBeGreaterThan(1);
    expect(await minuteCounts()).toEqual(ledger);
    await synthetic.sql`delete from processed_event_minutes where ctid = (select ctid from processed_event_minutes limit 1)`;
    await synthetic.sql`update processed_event_minutes set events = events * 2
      where ctid = (select ctid from processed_event_minutes limit 1)`;
    expect(await minuteCounts()).not.toEqual(ledger);
    const run = runMiCli(["rollups", "rebuild", "--database", synthetic.url], {});
    const { code } = await run.exit;
    expect(code, run.stderr()).toBe(0);
    expect(run.stderr()).toMatch(/retention rollups: \d+\/\d+ months of enrolments/);
    expect(run.stderr()).toMatch(/rebuilt [\d,]+ retention rollup rows/);
    expect(run.stderr()).toMatch(/recounted the pipeline's events: [\d,]+ minute-and-type rows/);
    expect(await keptRollups(synthetic)).toEqual(afterErasure);
    expect(await minuteCounts()).toEqual(ledger);
  }, 180_000);

  it("a database that held episodes before the retention rollups gets them filled when it is migrated", async () => {
    const kept = await keptRollups(synthetic);
    expect(kept.milestones.length).toBeGreaterThan(0);
    // What migration 0010 leaves on such a database: the episodes, and empty rollup tables.
    await synthetic.sql`delete from retention_rollups`;
    await synthetic.sql`delete from retention_survival_rollups`;
    await migrateDatabase(synthetic.url);
    expect(await keptRollups(synthetic)).toEqual(kept);
    // Filled once: a later start-up's migrate leaves the sink's rows alone.
    await synthetic.sql`update retention_survival_rollups set episodes = episodes + 1
      where ctid = (select ctid from retention_survival_rollups limit 1)`;
    await migrateDatabase(synthetic.url);
    expect(await keptRollups(synthetic)).not.toEqual(kept);
    await rebuildAllRetentionRollups(synthetic.db);
    expect(await keptRollups(synthetic)).toEqual(kept);
  }, 60_000);
});
