import { IMPORT_KINDS, type ImportReport, KINDS } from "@evoke/import";
import type { Principal } from "../access/principal.ts";
import { DataTable } from "./components.tsx";
import { Layout } from "./layout.tsx";

/*
 * The Import page (directors and engineers): upload a CSV export, see the row report. The file
 * goes to ingest's POST /v1/import (dashboard/src/import/forward.ts), the same way in as the
 * command line's, so the page holds no import logic of its own: it shows ingest's answer.
 */

export type ImportOutcome =
  | {
      readonly kind: "report";
      readonly report: ImportReport & { readonly published: number; readonly dryRun: boolean };
    }
  | { readonly kind: "problem"; readonly title: string; readonly detail: string; readonly report?: ImportReport };

function Report(props: { readonly report: ImportReport; readonly published?: number; readonly dryRun?: boolean }) {
  const { report } = props;
  const sent =
    props.dryRun === true
      ? "Dry run: nothing was sent."
      : props.published === undefined
        ? "Nothing was sent."
        : `${props.published.toLocaleString("en")} events were sent and acknowledged.`;
  return (
    <section class="panel" aria-labelledby="report-title">
      <h2 id="report-title">Row report</h2>
      <p>
        {report.rows.toLocaleString("en")} rows read: {report.validRows.toLocaleString("en")} valid (
        {report.events.toLocaleString("en")} events), {report.rejectedRows.toLocaleString("en")} rejected. {sent}
      </p>
      {report.errors.length > 0 ? (
        <DataTable
          caption={`Rejected rows${report.errorsTotal === undefined ? "" : ` (the first ${report.errors.length.toLocaleString("en")} of ${report.errorsTotal.toLocaleString("en")} errors)`}`}
          table={{
            columns: ["Line", "Column", "Reason"],
            rows: report.errors.map((error) => [error.line, error.column ?? "(the row)", error.reason]),
          }}
        />
      ) : null}
    </section>
  );
}

export function ImportPage(props: {
  readonly principal: Principal;
  readonly configured: boolean;
  readonly outcome?: ImportOutcome;
}) {
  const { outcome } = props;
  return (
    <Layout title="Import a CSV file" principal={props.principal} current="/import">
      <section class="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload</h2>
        {props.configured ? (
          <form class="annotate" method="post" action="/import" enctype="multipart/form-data">
            <label>
              Kind of file
              <select name="kind" required>
                {IMPORT_KINDS.map((kind) => (
                  <option value={kind} title={KINDS[kind].summary}>
                    {kind}
                  </option>
                ))}
              </select>
            </label>
            <label>
              CSV file (UTF-8, comma-separated, with a header row)
              <input type="file" name="file" accept=".csv,text/csv" required />
            </label>
            <label>
              <input type="checkbox" name="dryRun" value="true" /> Check only (send nothing)
            </label>
            <label>
              <input type="checkbox" name="allOrNothing" value="true" /> Send only if every row is valid
            </label>
            <button type="submit">Import</button>
          </form>
        ) : (
          <p class="notice">
            Import is not set up: set DASHBOARD_INGEST_URL and DASHBOARD_INGEST_KEY (npm start does), or use pnpm mi
            import.
          </p>
        )}
        <p>
          The columns of each kind are listed in docs/import.md. Rows already imported keep their event ids, so
          importing a file again counts nothing twice.
        </p>
      </section>
      {outcome?.kind === "report" ? (
        <Report report={outcome.report} published={outcome.report.published} dryRun={outcome.report.dryRun} />
      ) : null}
      {outcome?.kind === "problem" ? (
        <section class="panel" aria-labelledby="problem-title">
          <h2 id="problem-title">{outcome.title}</h2>
          <p role="alert">{outcome.detail}</p>
          {outcome.report === undefined ? null : <Report report={outcome.report} />}
        </section>
      ) : null}
    </Layout>
  );
}
