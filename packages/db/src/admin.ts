import type postgres from "postgres";
import { withPostgres } from "./postgres-client.ts";

/** The database named in a connection URL. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (name === "") throw new Error("the database URL names no database");
  return name;
}

/** The same server and credentials, pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  return next.toString();
}

/** Runs `work` on a connection to the server's maintenance database, `postgres`. */
async function onMaintenanceDatabase<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  return withPostgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => undefined }, work);
}

/** Creates the database the URL names unless it exists. Returns whether it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  return onMaintenanceDatabase(url, async (sql) => {
    const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
    if (existing !== undefined) return false;
    try {
      await sql`create database ${sql(name)}`;
      return true;
    } catch (error) {
      // Another process created it between our check and our create: that is fine.
      if ((error as { code?: string }).code === "42P04") return false;
      throw error;
    }
  });
}

/** Drops the database the URL names, disconnecting anyone still using it. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await onMaintenanceDatabase(url, async (sql) => {
    await sql`drop database if exists ${sql(name)} with (force)`;
  });
}

/** `select 1` with a short timeout: does the server answer with these credentials? */
export async function pingDatabase(url: string, timeoutSeconds = 3): Promise<void> {
  await withPostgres(
    url,
    { max: 1, connect_timeout: timeoutSeconds, onnotice: () => undefined },
    (sql) => sql`select 1`,
    1,
  );
}
