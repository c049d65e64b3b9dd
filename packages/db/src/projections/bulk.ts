import { type SQL, sql } from "drizzle-orm";

/*
 * Bulk inserts as `select … from unnest($1::text[], $2::real[], …)`: one array parameter per
 * column rather than one parameter per value. PostgreSQL parses and plans one small statement
 * however many rows there are, and postgres.js serialises a few arrays far faster than a
 * VALUES list of thousands of parameters (bench/aggregation measures the sink with it).
 */

export type BulkType = "text" | "integer" | "real" | "timestamptz" | "jsonb";

export interface BulkColumn {
  /** The column's name in the table (a constant of the projection, never input). */
  readonly name: string;
  readonly type: BulkType;
  readonly values: readonly unknown[];
}

function serialise(type: BulkType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // Timestamps travel as ISO text (postgres.js mis-serialises arrays next to Date parameters).
  if (type === "timestamptz") return value instanceof Date ? value.toISOString() : String(value);
  if (type === "jsonb") return JSON.stringify(value);
  return value;
}

/** The column list and the `select … from unnest(…)` that yields the rows, for `insert into t (list) select`. */
export function unnestRows(columns: readonly BulkColumn[]): { list: SQL; select: SQL } {
  const names = columns.map((column) => sql.raw(column.name));
  // jsonb and timestamptz go as text arrays and are cast per value.
  const arrays = columns.map((column) => {
    const arrayType = column.type === "jsonb" || column.type === "timestamptz" ? "text" : column.type;
    const values = column.values.map((value) => serialise(column.type, value));
    return sql`${sql.param(values)}::${sql.raw(arrayType)}[]`;
  });
  const casts = columns.map((column) =>
    column.type === "jsonb" || column.type === "timestamptz"
      ? sql`${sql.raw(column.name)}::${sql.raw(column.type)}`
      : sql.raw(column.name),
  );
  return {
    list: sql.join(names, sql`, `),
    select: sql`select ${sql.join(casts, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as rows(${sql.join(names, sql`, `)})`,
  };
}

/** Column helper: `column("event_id", "text", rows, (row) => row.eventId)`. */
export function column<Row>(
  name: string,
  type: BulkType,
  rows: readonly Row[],
  value: (row: Row) => unknown,
): BulkColumn {
  return { name, type, values: rows.map(value) };
}

/**
 * The rows as one JSON parameter expanded by json_populate_recordset: for rows carrying JSON
 * (transcripts, codings), one JSON.stringify beats escaping every quote into a text array.
 * `rows` use the table's column names as keys.
 */
export function jsonRows(
  table: SQL,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): { list: SQL; select: SQL } {
  const list = sql.raw(columns.join(", "));
  return {
    list,
    select: sql`select ${list} from json_populate_recordset(null::${table}, ${JSON.stringify(rows)}::json)`,
  };
}
