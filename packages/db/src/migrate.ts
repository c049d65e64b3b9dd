import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { withPostgres } from "./postgres-client.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

/**
 * Applies every committed migration not yet applied. drizzle takes an advisory lock and
 * records applied migrations in `drizzle.__drizzle_migrations`, so running this at every
 * start-up, or from two processes at once, is safe.
 */
export async function migrateDatabase(url: string): Promise<void> {
  await withPostgres(url, { max: 1, onnotice: () => undefined }, (sql) =>
    migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER }),
  );
}
