import { type IntakeEvent, type ValidationOptions, validateEvent } from "@evoke/events";
import { type ImportKind, KINDS } from "./columns.ts";
import { type CsvInput, type CsvRecord, readCsv } from "./csv.ts";
import {
  type Candidate,
  DEFAULT_IMPORT_SOURCE,
  type Mapped,
  mapEnrolment,
  mapRating,
  mapReadiness,
  mapSession,
  mapTranscript,
  type RowError,
  RowReader,
  readTranscriptRow,
  type TranscriptRow,
} from "./mapping.ts";

/*
 * A CSV file → validated Evoke events, row by row. Every candidate event goes through
 * packages/events' validateEvent, the check POST /v1/events applies, so a CSV row is held to
 * exactly the contract a CloudEvent is. A row either becomes valid events or is rejected with
 * its errors; a bad row never stops the good ones (the caller decides whether to send them).
 */

/** What became of one row (for transcripts: one session, which spans several rows). */
export type ImportedRow =
  | { readonly ok: true; readonly line: number; readonly rows: number; readonly events: readonly IntakeEvent[] }
  | { readonly ok: false; readonly line: number; readonly rows: number; readonly errors: readonly RowError[] };

export interface ImportOptions {
  /** The CloudEvents source of every event (default urn:evoke:import:csv). */
  readonly source?: string;
  /**
   * When the file counts as received and the time limits its events are held to: ingest's
   * configured ones (INGEST_EARLIEST_DATE...), so a backfill the operator allowed is not refused
   * here. Default: now and the contract's default limits.
   */
  readonly validation?: ValidationOptions;
}

function judge(
  kind: ImportKind,
  line: number,
  rows: number,
  mapped: Mapped,
  validation: ValidationOptions | undefined,
): ImportedRow {
  const errors: RowError[] = [...mapped.errors];
  const events: IntakeEvent[] = [];
  for (const candidate of mapped.candidates) {
    const result = validateEvent(candidate.event, validation);
    if (result.ok) events.push(result.event);
    else errors.push(...result.issues.map((issue) => issueToRowError(candidate, issue)));
  }
  // Conversion errors and the schema's may name the same cell: keep the first word on it.
  const unique = errors.filter(
    (error, index) =>
      error.column === undefined ||
      errors.findIndex((other) => other.line === error.line && other.column === error.column) === index,
  );
  if (unique.length === 0) return { ok: true, line, rows, events };
  // In the order a reader sees them: by line, then by the column's place in the column set.
  const order = KINDS[kind].columns.map((column) => column.name);
  const place = (error: RowError) => (error.column === undefined ? -1 : order.indexOf(error.column));
  unique.sort((a, b) => a.line - b.line || place(a) - place(b));
  return { ok: false, line, rows, errors: unique };
}

function issueToRowError(candidate: Candidate, issue: { field: string; reason: string }): RowError {
  const place = candidate.locate(issue.field);
  // A field with no column of its own (e.g. the generated id) is named as the event's field.
  return place.column === undefined
    ? { line: place.line, reason: issue.field === "" ? issue.reason : `${issue.field} ${issue.reason}` }
    : { line: place.line, column: place.column, reason: issue.reason };
}

function fieldCountError(record: CsvRecord): RowError | undefined {
  if (record.fieldCountMismatch === undefined) return undefined;
  return {
    line: record.line,
    reason: `has ${record.fieldCountMismatch} fields but the header has ${Object.keys(record.values).length} (a missing or extra comma, or an unquoted comma inside a value)`,
  };
}

const ROW_MAPPERS = {
  enrolments: mapEnrolment,
  sessions: mapSession,
  readiness: mapReadiness,
  ratings: mapRating,
} as const;

async function* importPerRow(
  records: AsyncIterable<CsvRecord>,
  kind: Exclude<ImportKind, "transcripts">,
  source: string,
  validation: ValidationOptions | undefined,
): AsyncGenerator<ImportedRow> {
  const map = ROW_MAPPERS[kind];
  for await (const record of records) {
    const wrongWidth = fieldCountError(record);
    if (wrongWidth !== undefined) {
      yield { ok: false, line: record.line, rows: 1, errors: [wrongWidth] };
      continue;
    }
    yield judge(kind, record.line, 1, map(new RowReader(record.line, record.values), source), validation);
  }
}

/**
 * Transcripts: consecutive rows of one session_id form one event. A session whose rows are
 * not together is rejected (streaming keeps only the current session in memory).
 */
async function* importTranscripts(
  records: AsyncIterable<CsvRecord>,
  source: string,
  validation: ValidationOptions | undefined,
): AsyncGenerator<ImportedRow> {
  let current:
    | { sessionId: string; line: number; count: number; rows: TranscriptRow[]; errors: RowError[] }
    | undefined;
  const finished = new Map<string, number>();
  const flush = (): ImportedRow | undefined => {
    if (current === undefined) return undefined;
    const { sessionId, line, count, rows, errors } = current;
    finished.set(sessionId, line);
    current = undefined;
    if (errors.length > 0) return { ok: false, line, rows: count, errors };
    return judge("transcripts", line, count, mapTranscript(sessionId, rows, source), validation);
  };
  for await (const record of records) {
    const reader = new RowReader(record.line, record.values);
    const sessionId = reader.need("session_id") ?? "";
    if (current?.sessionId !== sessionId) {
      const done = flush();
      if (done !== undefined) yield done;
      const earlier = finished.get(sessionId);
      if (earlier !== undefined) {
        yield {
          ok: false,
          line: record.line,
          rows: 1,
          errors: [
            {
              line: record.line,
              column: "session_id",
              reason: `belongs to the session that started at line ${earlier}: a session's rows must be next to each other`,
            },
          ],
        };
        continue;
      }
      current = { sessionId, line: record.line, count: 0, rows: [], errors: [] };
    }
    const wrongWidth = fieldCountError(record);
    const row = readTranscriptRow(reader);
    // current is set just above whenever the session changes.
    const session = current as NonNullable<typeof current>;
    session.count += 1;
    if (wrongWidth !== undefined) session.errors.push(wrongWidth);
    else if (reader.errors.length > 0) session.errors.push(...reader.errors);
    else session.rows.push(row);
  }
  const last = flush();
  if (last !== undefined) yield last;
}

/**
 * Reads a CSV file of `kind` and yields each row's outcome in file order. Throws
 * ImportFileError (from ./csv.ts) when the file as a whole cannot be read.
 */
export function importRows(
  input: CsvInput,
  kind: ImportKind,
  options: ImportOptions = {},
): AsyncGenerator<ImportedRow> {
  const source = options.source ?? DEFAULT_IMPORT_SOURCE;
  const records = readCsv(input, kind);
  const { validation } = options;
  return kind === "transcripts"
    ? importTranscripts(records, source, validation)
    : importPerRow(records, kind, source, validation);
}
