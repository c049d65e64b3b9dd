import type { IntakeEvent } from "@evoke/events";
import type { ImportKind } from "./columns.ts";
import type { CsvInput } from "./csv.ts";
import { type ImportedRow, type ImportOptions, importRows } from "./import.ts";
import type { RowError } from "./mapping.ts";

/*
 * The row report every way in gives back (the CLI's summary, POST /v1/import's JSON body, the
 * dashboard page): how many rows were read, how many became events, and each rejected row's
 * errors by line and column. Only rejected rows are listed: a 100,000-row file's report stays
 * readable.
 */

/** More errors than this help nobody; errorsTotal says how many there were. */
export const MAX_LISTED_ERRORS = 1_000;

export interface ImportReport {
  readonly kind: ImportKind;
  /** Data rows read (the header and blank lines not counted). */
  readonly rows: number;
  /** Rows that became valid events. */
  readonly validRows: number;
  readonly rejectedRows: number;
  /** Events the valid rows became (an enrolment with a discharge is two). */
  readonly events: number;
  /** The rejected rows' errors, in line order, at most MAX_LISTED_ERRORS. */
  readonly errors: readonly RowError[];
  /** Present when more errors were found than listed. */
  readonly errorsTotal?: number;
}

export interface ValidatedImport {
  readonly report: ImportReport;
  /** The valid rows' events, in file order. */
  readonly events: readonly IntakeEvent[];
  /** For each event, the first line of the row it came from. */
  readonly lines: readonly number[];
}

/** Reads and validates the whole file; `onRow` sees each outcome as it is judged (progress). */
export async function validateImport(
  input: CsvInput,
  kind: ImportKind,
  options: ImportOptions & { readonly onRow?: (row: ImportedRow) => void } = {},
): Promise<ValidatedImport> {
  const events: IntakeEvent[] = [];
  const lines: number[] = [];
  const errors: RowError[] = [];
  let errorsTotal = 0;
  let rows = 0;
  let validRows = 0;
  let rejectedRows = 0;
  for await (const row of importRows(input, kind, options)) {
    options.onRow?.(row);
    rows += row.rows;
    if (row.ok) {
      validRows += row.rows;
      for (const event of row.events) {
        events.push(event);
        lines.push(row.line);
      }
    } else {
      rejectedRows += row.rows;
      errorsTotal += row.errors.length;
      for (const error of row.errors) if (errors.length < MAX_LISTED_ERRORS) errors.push(error);
    }
  }
  errors.sort((a, b) => a.line - b.line);
  const report: ImportReport = {
    kind,
    rows,
    validRows,
    rejectedRows,
    events: events.length,
    errors,
    ...(errorsTotal > errors.length ? { errorsTotal } : {}),
  };
  return { report, events, lines };
}

/** One line per error, for a terminal: `line 12, column enrolled_at: must be an RFC 3339 date-time…`. */
export function describeRowError(error: RowError): string {
  return `line ${error.line}${error.column === undefined ? "" : `, column ${error.column}`}: ${error.reason}`;
}
