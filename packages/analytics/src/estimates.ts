import type { Database } from "@evoke/db";
import { meanIntervalFromSummary, wilsonInterval } from "@evoke/statistics";
import type { SQL } from "drizzle-orm";

/*
 * How every analytic reports a number: with how many it rests on and its 95% interval, null
 * where there is nothing to estimate from (so the dashboard says "no data", never "0%").
 */

/** A share (e.g. of sessions meeting "good") with its Wilson 95% interval. */
export interface Share {
  readonly count: number;
  readonly of: number;
  readonly share: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

export function share(count: number, of: number): Share {
  const interval = wilsonInterval(count, of);
  return {
    count,
    of,
    share: interval?.estimate ?? null,
    lower: interval?.lower ?? null,
    upper: interval?.upper ?? null,
  };
}

/** A mean with its t-based 95% interval (no interval below 2 values). */
export interface Mean {
  readonly n: number;
  readonly mean: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly sd: number | null;
}

/** From the count, mean and sample variance PostgreSQL computes (avg, var_samp). */
export function meanOf(n: number, mean: number | null, variance: number | null): Mean {
  if (n === 0 || mean === null) return { n, mean: null, lower: null, upper: null, sd: null };
  const interval = variance === null ? null : meanIntervalFromSummary({ n, mean, variance });
  return {
    n,
    mean,
    lower: interval?.lower ?? null,
    upper: interval?.upper ?? null,
    sd: variance === null ? null : Math.sqrt(variance),
  };
}

/** Runs a query and types its rows (casts in the SQL make the types true). */
export async function rows<Row>(db: Database, query: SQL): Promise<Row[]> {
  return [...(await db.execute(query))] as Row[];
}

/** Timestamps as the analytics return them: ISO 8601 in UTC. */
export function isoTime(value: string | Date | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
