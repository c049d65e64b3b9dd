import {
  connectDatabase,
  type DatabaseConnection,
  dropDatabase,
  ensureDatabase,
  migrateDatabase,
  withDatabase,
} from "@evoke/db";
import { inject } from "vitest";
import "../setup/provided-context.ts";
import { uniqueName } from "./names.ts";

export interface TestDatabase extends DatabaseConnection {
  readonly url: string;
  /** Closes the pool and drops the database: the suite's own, nobody else's. */
  drop(): Promise<void>;
}

/** A fresh database on the real server, migrated to the current schema. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const url = withDatabase(inject("databaseUrl"), uniqueName(`evoke_test_${label}`, "_"));
  await ensureDatabase(url);
  await migrateDatabase(url);
  const connection = connectDatabase(url, { max: 4, applicationName: `test:${label}` });
  return {
    ...connection,
    url,
    drop: async () => {
      await connection.close();
      await dropDatabase(url);
    },
  };
}
