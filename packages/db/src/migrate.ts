import { fileURLToPath } from "node:url";
import { sql as statement } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client.ts";
import { withPostgres } from "./postgres-client.ts";
import { rebuildAllRetentionRollups } from "./projections/rebuild-rollups.ts";
import * as schema from "./schema/index.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

/**
 * Applies every committed migration not yet applied. drizzle takes an advisory lock and
 * records applied migrations in `drizzle.__drizzle_migrations`, so running this at every
 * start-up, or from two processes at once, is safe.
 */
export async function migrateDatabase(url: string): Promise<void> {
  await withPostgres(url, { max: 1, onnotice: () => undefined }, async (sql) => {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    await fillRetentionRollups(drizzle(sql, { schema, casing: "snake_case" }));
  });
}

/**
 * Migration 0010 creates the retention rollups empty, and the sink keeps them by adding and taking
 * away each episode's contribution, which is only right from a filled start: a database that
 * already held episodes gets them computed here, once (any episode, open or ended, has a row).
 * Rebuilding is idempotent and safe beside a running sink, so two processes migrating at once
 * may both do it; `pnpm mi rollups rebuild` does it on demand.
 */
async function fillRetentionRollups(db: Database): Promise<void> {
  const [state] = await db.execute<{ unfilled: boolean }>(statement`
    select exists (select 1 from client_outcomes) and not exists (select 1 from retention_rollups) as unfilled`);
  if (state?.unfilled) await rebuildAllRetentionRollups(db);
}
