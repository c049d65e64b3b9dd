export {
  type Column,
  IMPORT_KINDS,
  type ImportKind,
  isImportKind,
  KINDS,
  type KindDefinition,
} from "./columns.ts";
export { type CsvInput, type FileProblem, ImportFileError } from "./csv.ts";
export { renderImportGuide } from "./guide.ts";
export { type ImportedRow, type ImportOptions, importRows } from "./import.ts";
export { DEFAULT_IMPORT_SOURCE, importEventId, type RowError } from "./mapping.ts";
export {
  describeRowError,
  type ImportReport,
  MAX_LISTED_ERRORS,
  type ValidatedImport,
  validateImport,
} from "./report.ts";
