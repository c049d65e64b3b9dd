import { parseArgs } from "node:util";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import {
  connectDatabase,
  migrateDatabase,
  type RollupRebuildProgress,
  rebuildAllFidelityRollups,
  rebuildAllRetentionRollups,
  rebuildProcessedEventMinutes,
} from "@evoke/db";
import { embeddedPostgresStatus, embeddedUrl, localDirectories, silentProgress } from "@evoke/infra";

/*
 * `pnpm mi rollups rebuild`: recomputes every rollup the aggregation sink keeps from the facts,
 * for a database that has facts but no rollups yet (one from before they existed, after its
 * migration) or facts loaded past the sink. Month by month, each in its own transaction under
 * the sink's lock, so it can run beside a live sink; running it twice gives the same rows. Last,
 * the ledger's per-minute counts (the Pipeline health page's) are recounted from the ledger.
 */

export const ROLLUPS_USAGE = "usage: pnpm mi rollups rebuild [--database <postgres url>]";

export class RollupsUsageError extends Error {}

/** --database, else DATABASE_URL, else the embedded PostgreSQL npm start runs. */
async function databaseUrl(option: string | undefined): Promise<string> {
  if (option !== undefined) return option;
  const config = loadConfig(infrastructureConfig);
  const configured = config.postgres.url?.reveal();
  if (configured !== undefined) return configured;
  const running = await embeddedPostgresStatus({
    dir: localDirectories(config).postgres,
    port: config.postgres.embedded.port,
    progress: silentProgress,
  });
  if (running === undefined)
    throw new RollupsUsageError("No PostgreSQL: pass --database <url>, set DATABASE_URL, or start Evoke (npm start).");
  return embeddedUrl(config.postgres.embedded.port);
}

export async function rollupsCommand(
  args: string[],
  report: (line: string) => void = (line) => console.error(line),
): Promise<{ rows: number }> {
  const [action, ...rest] = args;
  if (action !== "rebuild") throw new RollupsUsageError(ROLLUPS_USAGE);
  const { values } = parseArgs({ args: rest, options: { database: { type: "string" } } });
  const url = await databaseUrl(values.database);
  // The rollup tables come with a migration: a database from before them gets it first.
  await migrateDatabase(url);
  const database = connectDatabase(url, { max: 1, applicationName: "evoke-rollups-rebuild" });
  try {
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    const progress =
      (what: string, steps: string) =>
      ({ done, total }: RollupRebuildProgress) =>
        report(`${what}: ${done}/${total} ${steps} (${seconds()} s)`);
    const fidelity = await rebuildAllFidelityRollups(database.db, progress("fidelity rollups", "months of sessions"));
    report(`rebuilt ${fidelity.rows.toLocaleString("en")} fidelity rollup rows in ${seconds()} s`);
    const retention = await rebuildAllRetentionRollups(
      database.db,
      progress("retention rollups", "months of enrolments, then the survival table"),
    );
    report(`rebuilt ${retention.rows.toLocaleString("en")} retention rollup rows in ${seconds()} s`);
    const minutes = await rebuildProcessedEventMinutes(database.db);
    report(
      `recounted the pipeline's events: ${minutes.rows.toLocaleString("en")} minute-and-type rows in ${seconds()} s`,
    );
    return { rows: fidelity.rows + retention.rows + minutes.rows };
  } finally {
    await database.close();
  }
}
