import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import { openPostgres } from "./postgres-client.ts";
import * as schema from "./schema/index.ts";

export type Database = PostgresJsDatabase<typeof schema>;

/** A transaction handle, as passed to `db.transaction(async (tx) => ...)`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseConnection {
  readonly db: Database;
  /** The underlying postgres.js client, for COPY and other driver-level work. */
  readonly sql: postgres.Sql;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Pool size. Default 10. */
  readonly max?: number;
  readonly applicationName?: string;
}

export function connectDatabase(url: string, options: ConnectOptions = {}): DatabaseConnection {
  const sql = openPostgres(url, {
    max: options.max ?? 10,
    // NOTICEs (e.g. "relation already exists, skipping") are expected, not worth a log line.
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? "evoke" },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
