/*
 * Tables as CSV (RFC 4180: CRLF, quotes doubled). Text cells that a spreadsheet would run as a
 * formula (=, +, -, @ first) get a leading apostrophe: exports are opened in Excel, and ids or
 * labels come from other systems.
 */

export type Cell = string | number | boolean | null | undefined;

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = typeof value === "boolean" ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: Table): string {
  return `${[table.columns, ...table.rows].map((row) => row.map(cell).join(",")).join("\r\n")}\r\n`;
}
