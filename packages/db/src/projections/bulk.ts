import { type SQL, sql } from "drizzle-orm";

/*
 * Bulk inserts as `select … from unnest($1::text[], $2::real[], …)`: one array parameter per
 * column rather than one parameter per value. PostgreSQL parses and plans one small statement
 * however many rows there are, and postgres.js serialises a few arrays far faster than a
 * VALUES list of thousands of parameters (bench/aggregation measures the sink with it).
 *
 * A json column (a transcript's utterances, a coding's codes: kilobytes a row) travels as one
 * text parameter, the rows' JSON texts joined by U+001E and split by string_to_array. Neither
 * side escapes anything: JSON.stringify writes every character below U+0020 as an escape, so
 * the separator cannot occur inside a value. As a text array, postgres.js escaped every quote
 * of every value; as rows of one JSON document (json_populate_recordset), PostgreSQL parsed
 * each value twice. A SQL null travels as an empty text (no JSON text is empty).
 */

export type BulkType = "text" | "integer" | "real" | "timestamptz" | "json";

/** Cannot occur in JSON.stringify's output (it escapes every control character). */
const JSON_SEPARATOR = "\u001e";

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
  return value;
}

/** The column list and the `select … from unnest(…)` that yields the rows, for `insert into t (list) select`. */
export function unnestRows(columns: readonly BulkColumn[]): { list: SQL; select: SQL } {
  const names = columns.map((column) => sql.raw(column.name));
  // Timestamps go as a text array and are cast per value.
  const arrays = columns.map((column) => {
    if (column.type === "json") {
      const joined = column.values.map((value) => (value === null || value === undefined ? "" : JSON.stringify(value)));
      return sql`string_to_array(${joined.join(JSON_SEPARATOR)}::text, chr(30))`;
    }
    const arrayType = column.type === "timestamptz" ? "text" : column.type;
    const values = column.values.map((value) => serialise(column.type, value));
    return sql`${sql.param(values)}::${sql.raw(arrayType)}[]`;
  });
  const casts = columns.map((column) => {
    if (column.type === "json") return sql`nullif(${sql.raw(column.name)}, '')::json`;
    return column.type === "timestamptz" ? sql`${sql.raw(column.name)}::timestamptz` : sql.raw(column.name);
  });
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
