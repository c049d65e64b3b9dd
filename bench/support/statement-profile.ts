/**
 * Where PostgreSQL's time goes, by statement: pg_stat_statements on a benchmark's own server
 * (started with STATEMENT_PROFILE_SETTINGS), reset before a phase and read after it. Times are
 * PostgreSQL's execution times (wall time inside the server, not CPU), summed over calls.
 */
import { openPostgres } from "@evoke/db";

/** The server settings that load pg_stat_statements (it must be preloaded at start). */
export const STATEMENT_PROFILE_SETTINGS = [
  "shared_preload_libraries=pg_stat_statements",
  "pg_stat_statements.track=all",
] as const;

export interface StatementProfile {
  /** Forgets what was counted so far: the next report covers only what follows. */
  reset(): Promise<void>;
  /** The statements that took the most time since the reset, as lines to print. */
  report(top?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function statementProfile(databaseUrl: string): Promise<StatementProfile> {
  const sql = openPostgres(databaseUrl, { max: 1, onnotice: () => undefined });
  await sql`create extension if not exists pg_stat_statements`;
  return {
    reset: async () => {
      await sql`select pg_stat_statements_reset()`;
    },
    report: async (top = 12) => {
      const rows = await sql<{ calls: number; total: number; rows: number; query: string }[]>`
        select calls::int, total_exec_time::float8 as total, rows::int, query
        from pg_stat_statements
        where query not like '%pg_stat_statements%'
        order by total_exec_time desc
        limit ${top}`;
      const [all] = await sql<{ total: number; calls: number }[]>`
        select coalesce(sum(total_exec_time), 0)::float8 as total, coalesce(sum(calls), 0)::int as calls
        from pg_stat_statements where query not like '%pg_stat_statements%'`;
      const total = all?.total ?? 0;
      return [
        `PostgreSQL's execution time by statement: ${(total / 1000).toFixed(1)} s over ${all?.calls ?? 0} calls; the top ${rows.length}:`,
        ...rows.map(
          (row) =>
            `${((100 * row.total) / Math.max(total, 1)).toFixed(1).padStart(5)}%  ${row.total.toFixed(0).padStart(7)} ms ` +
            `${String(row.calls).padStart(6)} calls ${String(row.rows).padStart(8)} rows  ` +
            row.query.replace(/\s+/g, " ").slice(0, 140),
        ),
      ];
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
