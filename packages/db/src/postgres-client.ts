import postgres from "postgres";
import { databaseTarget, postgresSslOption } from "./ssl.ts";
import { explainConnectionFailure } from "./ssl-errors.ts";

export type PostgresOptions = Omit<postgres.Options<Record<string, postgres.PostgresType>>, "ssl">;

/**
 * Every postgres.js client Evoke makes is made here, so the URL's sslmode and certificate
 * files (ssl.ts) apply to each: pools, migrations, admin and health checks alike.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): postgres.Sql {
  const target = databaseTarget(url);
  return postgres(target.url, { ...options, ssl: postgresSslOption(target) });
}

/**
 * Runs `work` on a client of its own, closed afterwards; a TLS failure comes out as one line
 * (ssl-errors.ts) rather than OpenSSL's words.
 */
export async function withPostgres<T>(
  url: string,
  options: PostgresOptions,
  work: (sql: postgres.Sql) => Promise<T>,
  closeTimeoutSeconds = 5,
): Promise<T> {
  const sql = openPostgres(url, options);
  try {
    return await work(sql);
  } catch (error) {
    throw await explainConnectionFailure(error, databaseTarget(url));
  } finally {
    await sql.end({ timeout: closeTimeoutSeconds });
  }
}
