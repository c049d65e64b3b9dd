import { pipeline, Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";
import { type ImportKind, KINDS } from "./columns.ts";

/*
 * Reading a CSV file: UTF-8 only (a UTF-8 BOM is dropped; UTF-16 and invalid bytes are named
 * with their line), RFC 4180 quoting through csv-parse (quotes, embedded newlines, CRLF), a
 * header check that names missing and unknown columns, and each record's first line number so
 * errors can point at it. Nothing here echoes a value from the file: it may be health data.
 */

export type FileProblem = "encoding" | "delimiter" | "header" | "malformed" | "empty";

/** The file as a whole cannot be read: nothing of it should be imported. */
export class ImportFileError extends Error {
  override readonly name = "ImportFileError";
  constructor(
    readonly problem: FileProblem,
    message: string,
    readonly details: {
      readonly line?: number;
      readonly missing?: readonly string[];
      readonly unknown?: readonly string[];
    } = {},
  ) {
    super(message);
  }
}

/** One data row: its first line in the file, and its values by column name. */
export interface CsvRecord {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
  /** How many fields the row had, when that differs from the header's count. */
  readonly fieldCountMismatch?: number;
}

export type CsvInput = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

function chunksOf(input: CsvInput): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return input instanceof Uint8Array ? [input] : input;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count += 1;
  return count;
}

/**
 * The file's bytes as text, checked to be UTF-8. A UTF-16 byte order mark is refused with a
 * hint (Excel's "Unicode text" export); invalid bytes are refused with their line.
 */
async function* utf8Text(input: CsvInput): AsyncGenerator<string> {
  // ignoreBOM false (the default): a leading UTF-8 BOM is dropped, as Excel's "CSV UTF-8" writes one.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 1;
  let first = true;
  for await (const chunk of chunksOf(input)) {
    if (first && chunk.byteLength > 0) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw new ImportFileError(
          "encoding",
          "The file is UTF-16 (it starts with a UTF-16 byte order mark). Save it as UTF-8, e.g. Excel's 'CSV UTF-8 (Comma delimited)'.",
          { line: 1 },
        );
      }
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      // Find the line of the first bad byte: decode leniently and look for the replacement.
      const lenient = new TextDecoder("utf-8").decode(chunk);
      const before = lenient.slice(0, Math.max(0, lenient.indexOf("\uFFFD")));
      throw new ImportFileError(
        "encoding",
        `Line ${lines + countNewlines(before)} holds bytes that are not UTF-8 (perhaps Windows-1252 or Latin-1). Save the file as UTF-8.`,
        { line: lines + countNewlines(before) },
      );
    }
    lines += countNewlines(text);
    if (text !== "") yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } catch {
    throw new ImportFileError(
      "encoding",
      `Line ${lines} ends in the middle of a UTF-8 character. Save the file as UTF-8.`,
      {
        line: lines,
      },
    );
  }
}

const OTHER_DELIMITERS: readonly (readonly [string, string])[] = [
  [";", "semicolons (;)"],
  ["\t", "tabs"],
  ["|", "vertical bars (|)"],
];

/** Checks the header against the kind's column set; names every missing and unknown column. */
export function checkHeader(kind: ImportKind, header: readonly string[]): void {
  const columns = KINDS[kind].columns;
  if (header.length === 1) {
    const found = OTHER_DELIMITERS.find(([delimiter]) => (header[0] ?? "").includes(delimiter));
    if (found !== undefined) {
      throw new ImportFileError(
        "delimiter",
        `The header is one column holding ${found[1]}: the file seems to be separated by ${found[1]}, not commas. Save it as comma-separated values (CSV).`,
        { line: 1 },
      );
    }
  }
  const known = new Set(columns.map((column) => column.name));
  const seen = new Set(header);
  const duplicated = [...seen].filter((name) => header.indexOf(name) !== header.lastIndexOf(name));
  if (duplicated.length > 0) {
    throw new ImportFileError("header", `The header names ${duplicated.join(", ")} more than once.`, { line: 1 });
  }
  const missing = columns.filter((column) => column.required && !seen.has(column.name)).map((column) => column.name);
  const unknown = header.filter((name) => !known.has(name));
  if (missing.length === 0 && unknown.length === 0) return;
  const parts = [
    missing.length > 0 ? `missing column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}` : "",
    // Column names are the file's own words but not row data, so naming them is safe.
    unknown.length > 0
      ? `unknown column${unknown.length === 1 ? "" : "s"} ${unknown.map((name) => JSON.stringify(name.slice(0, 64))).join(", ")}`
      : "",
  ].filter((part) => part !== "");
  throw new ImportFileError(
    "header",
    `The header does not match the ${kind} column set: ${parts.join("; ")}. The columns are listed in docs/import.md.`,
    { line: 1, missing, unknown: unknown.map((name) => name.slice(0, 64)) },
  );
}

function describeCsvError(error: CsvError): ImportFileError {
  const line = typeof error.lines === "number" ? error.lines : undefined;
  const at = line === undefined ? "" : `Line ${line}: `;
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (a missing " before the end of the file).',
    CSV_INVALID_CLOSING_QUOTE:
      'a quoted field has text right after its closing quote (write a quote inside a quoted field as "").',
    CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
      'a quoted field has text right after its closing quote (write a quote inside a quoted field as "").',
    CSV_MAX_RECORD_SIZE: "a row is too long.",
  };
  const reason = reasons[error.code] ?? "the file is not valid CSV.";
  return new ImportFileError("malformed", `${at}${reason}`, line === undefined ? {} : { line });
}

/** The longest row csv-parse will hold (a transcript turn is at most 10,000 characters). */
const MAX_RECORD_CHARACTERS = 1_000_000;

/**
 * The file's data rows with their line numbers, after the header check. Blank lines are
 * skipped; a row with the wrong number of fields is passed on, marked, for the caller to
 * report. Throws ImportFileError for what makes the whole file unreadable.
 */
export async function* readCsv(input: CsvInput, kind: ImportKind): AsyncGenerator<CsvRecord> {
  const parser = parse({
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARACTERS,
  });
  // pipeline (unlike pipe) destroys the parser with the decoder's error, so the loop below sees it.
  pipeline(Readable.from(utf8Text(input)), parser, () => undefined);
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // info.lines is the record's last line; a quoted field may span several.
      const line = info.lines - record.reduce((sum, field) => sum + countNewlines(field), 0);
      if (header === undefined) {
        header = record.map((name) => name.trim());
        checkHeader(kind, header);
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((name, index) => {
        values[name] = record[index] ?? "";
      });
      yield record.length === header.length ? { line, values } : { line, values, fieldCountMismatch: record.length };
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    if (error instanceof Error && "code" in error && String(error.code).startsWith("CSV_"))
      throw describeCsvError(error as CsvError);
    throw error;
  } finally {
    parser.destroy();
  }
  if (header === undefined) throw new ImportFileError("empty", "The file is empty: it has no header row.");
}
