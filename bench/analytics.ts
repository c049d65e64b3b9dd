/**
 * The analytics behind the dashboard at the scale of a large organisation: 50 programmes,
 * 1,000 therapists, 200,000 clients, 2,000,000 sessions and 1,000,000 coded sessions (20,000
 * of them also rated by a human), generated inside PostgreSQL (support/organisation.ts), then
 * each analytic function run repeatedly, for one programme (a director's page) and for the whole
 * organisation. Prints p50 and p95 per function.
 *
 *   pnpm bench:analytics [runs=20] [keep]
 *
 * With `keep` the loaded database (evoke_bench_analytics) is kept, and reused by the next run
 * with `keep` (and by `pnpm bench:dashboard`), for EXPLAIN work.
 *
 * Then the organisation's retention questions through both paths, the rollups and the facts
 * (`source: "facts"`), alternating run by run so that the machine's load hits both alike: median
 * of each and the ratio.
 *
 * Target: p95 < 300 ms for each. Uses DATABASE_URL if set, else the embedded PostgreSQL.
 */
import {
  coderAgreement,
  compareCohorts,
  fidelityByGroup,
  fidelityOutcomeAssociation,
  fidelitySeries,
  type RetentionSource,
  readinessChange,
  retentionByFidelityTier,
  retentionMilestonesByProgramme,
  sessionFidelity,
} from "@evoke/analytics";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { connectDatabase, dropDatabase, withDatabase } from "@evoke/db";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";
import { describeOrganisation, loadOrganisation } from "./support/organisation.ts";

const runs = Number(process.argv[2] ?? 20);
const keep = process.argv[3] === "keep";
const AS_OF = new Date("2026-01-01T00:00:00Z");

const config = loadConfig(infrastructureConfig);
const infrastructure = await provisionInfrastructure(config, silentProgress);
const url = withDatabase(infrastructure.postgres.url, "evoke_bench_analytics");

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

try {
  console.log(describeOrganisation(await loadOrganisation(url, { keep })));
  const { db, close } = connectDatabase(url, { max: 4, applicationName: "bench-analytics" });

  const programme = { programmeIds: ["prg_7"] };
  const cases: [string, () => Promise<unknown>][] = [];
  for (const [scope, filter] of [
    ["one programme", programme],
    ["organisation", {}],
  ] as const) {
    cases.push(
      [`${scope}: fidelity by therapist`, () => fidelityByGroup(db, { by: "therapist", scope: filter })],
      [`${scope}: fidelity by programme`, () => fidelityByGroup(db, { by: "programme", scope: filter })],
      [`${scope}: sessions page`, () => sessionFidelity(db, { scope: filter, limit: 100 })],
      [`${scope}: readiness change`, () => readinessChange(db, { filter })],
      [`${scope}: retention by fidelity tier`, () => retentionByFidelityTier(db, { filter, asOf: AS_OF })],
      [
        `${scope}: fidelity vs readiness change`,
        () => fidelityOutcomeAssociation(db, { filter, outcome: { kind: "readinessChange" } }),
      ],
      [
        `${scope}: fidelity vs retention at 90 days`,
        () => fidelityOutcomeAssociation(db, { filter, outcome: { kind: "retained", days: 90 }, asOf: AS_OF }),
      ],
      [
        `${scope}: cohorts (GP vs court referrals)`,
        () =>
          compareCohorts(db, {
            cohorts: [
              { name: "GP", filter: { ...filter, referralSources: ["gp"] } },
              { name: "Court", filter: { ...filter, referralSources: ["court"] } },
            ],
            asOf: AS_OF,
          }),
      ],
      [
        `${scope}: weekly XmR chart`,
        () => fidelitySeries(db, { scope: filter, interval: "week", measure: { kind: "mean", score: "technical" } }),
      ],
      [
        `${scope}: monthly P chart (Laney)`,
        () =>
          fidelitySeries(db, {
            scope: filter,
            interval: "month",
            measure: { kind: "share", score: "technical", level: "good" },
            laney: true,
          }),
      ],
      [`${scope}: coder agreement`, () => coderAgreement(db, { scope: filter })],
    );
  }

  console.log(`${runs} runs each after one warm-up; milliseconds`);
  console.log(`${"analytic".padEnd(46)} ${"p50".padStart(7)} ${"p95".padStart(7)}`);
  let worst = 0;
  for (const [label, run] of cases) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 0.95);
    worst = Math.max(worst, p95);
    console.log(
      `${label.padEnd(46)} ${percentile(times, 0.5).toFixed(0).padStart(7)} ${p95.toFixed(0).padStart(7)}${p95 >= 300 ? "  over target" : ""}`,
    );
  }
  console.log(`slowest p95 ${worst.toFixed(0)} ms (target < 300 ms each)`);

  const cohorts = [
    { name: "GP", filter: { referralSources: ["gp"] } },
    { name: "Court", filter: { referralSources: ["court"] } },
  ];
  const bothPaths: [string, (source: RetentionSource) => Promise<unknown>][] = [
    ["retention by fidelity tier", (source) => retentionByFidelityTier(db, { asOf: AS_OF, source })],
    ["retention milestones by programme", (source) => retentionMilestonesByProgramme(db, { asOf: AS_OF, source })],
    ["cohorts (GP vs court referrals)", (source) => compareCohorts(db, { cohorts, asOf: AS_OF, source })],
  ];
  console.log(`organisation, rollups against facts, alternating, ${runs} runs each; median ms`);
  console.log(`${"analytic".padEnd(46)} ${"facts".padStart(7)} ${"rollups".padStart(7)}`);
  for (const [label, run] of bothPaths) {
    await run("rollups");
    await run("facts");
    const times: Record<RetentionSource, number[]> = { rollups: [], facts: [] };
    for (let i = 0; i < runs; i += 1) {
      for (const source of i % 2 === 0 ? (["facts", "rollups"] as const) : (["rollups", "facts"] as const)) {
        const started = performance.now();
        await run(source);
        times[source].push(performance.now() - started);
      }
    }
    const median = (list: number[]) =>
      percentile(
        [...list].sort((a, b) => a - b),
        0.5,
      );
    const [facts, rollups] = [median(times.facts), median(times.rollups)];
    console.log(
      `${label.padEnd(46)} ${facts.toFixed(0).padStart(7)} ${rollups.toFixed(0).padStart(7)}  ${(facts / rollups).toFixed(1)}×`,
    );
  }
  await close();
} finally {
  if (!keep) await dropDatabase(url).catch(() => undefined);
  await infrastructure.release();
}
