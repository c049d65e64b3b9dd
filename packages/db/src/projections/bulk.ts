import { type SQL, sql } from "drizzle-orm";

/*
 * Bulk inserts as `select … from unnest(string_to_array($1, chr(30), chr(31)), …)`: one text
 * parameter per column rather than one parameter per value. PostgreSQL parses and plans one
 * small statement however many rows there are.
 *
 * Each column's values travel joined by U+001E, a SQL null as U+001F. Stored texts cannot hold
 * either (textProblem rejects control characters in every text of every event), and a column
 * that does falls back to an array parameter. As arrays, postgres.js escaped every element and
 * PostgreSQL's array parser unescaped it again; a join and a split do neither.
 *
 * A json column (a transcript's utterances, a coding's codes: kilobytes a row) travels as one
 * text parameter, the rows' JSON texts joined by U+001E and split by string_to_array. Neither
 * side escapes anything: JSON.stringify writes every character below U+0020 as an escape, so
 * the separator cannot occur inside a value. As a text array, postgres.js escaped every quote
 * of every value; as rows of one JSON document (json_populate_recordset), PostgreSQL parsed
 * each value twice. A SQL null travels as an empty text (no JSON text is empty).
 */

export type BulkType = "text" | "integer" | "real" | "timestamptz" | "json";

/** Separates a column's values: stored texts cannot hold it, JSON.stringify's output neither. */
const SEPARATOR = "\u001e";
/** Stands for a SQL null among a column's joined values; stored texts cannot hold it either. */
const NULL_MARK = "\u001f";

export interface BulkColumn {
  /** The column's name in the table (a constant of the projection, never input). */
  readonly name: string;
  readonly type: BulkType;
  readonly values: readonly unknown[];
}

function serialise(type: BulkType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === "timestamptz") return value instanceof Date ? value.toISOString() : String(value);
  return value;
}

/**
 * A column's values as one text, joined by SEPARATOR with NULL_MARK for null, where that
 * round-trips: undefined if a value holds either mark, or if the only value is an empty text
 * (string_to_array makes no element of an empty input).
 */
function joinedValues(type: BulkType, values: readonly unknown[]): string | undefined {
  const texts: string[] = new Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    const value = serialise(type, values[index]);
    if (value === null) {
      texts[index] = NULL_MARK;
      continue;
    }
    const text = String(value);
    if (text.includes(SEPARATOR) || text.includes(NULL_MARK)) return undefined;
    texts[index] = text;
  }
  if (texts.length === 1 && texts[0] === "") return undefined;
  return texts.join(SEPARATOR);
}

/** The column list and the `select … from unnest(…)` that yields the rows, for `insert into t (list) select`. */
export function unnestRows(columns: readonly BulkColumn[]): { list: SQL; select: SQL } {
  const names = columns.map((column) => sql.raw(column.name));
  const arrays = columns.map((column) => {
    if (column.type === "json") {
      const joined = column.values.map((value) => (value === null || value === undefined ? "" : JSON.stringify(value)));
      return sql`string_to_array(${joined.join(SEPARATOR)}::text, chr(30))`;
    }
    const joined = joinedValues(column.type, column.values);
    if (joined !== undefined) return sql`string_to_array(${joined}::text, chr(30), chr(31))`;
    const values = column.values.map((value) => serialise(column.type, value));
    return sql`${sql.param(values)}::text[]`;
  });
  const casts = columns.map((column) => {
    if (column.type === "json") return sql`nullif(${sql.raw(column.name)}, '')::json`;
    return column.type === "text" ? sql.raw(column.name) : sql`${sql.raw(column.name)}::${sql.raw(column.type)}`;
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
