import type { ProgrammeName, TherapistEntry } from "@evoke/analytics";
import type { Verdict } from "@evoke/mi-coding";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Table } from "../http/csv.ts";
import { href, type Params } from "./url.ts";

/*
 * The pieces every page is built from: the filter bar, a chart panel (title, chart, notes,
 * table view, CSV download) and plain tables.
 */

export function FilterBar(props: {
  readonly action: string;
  readonly params: Params;
  readonly programmes: readonly ProgrammeName[];
  readonly therapists: readonly TherapistEntry[];
  /** Page parameters to keep when the filters change (e.g. the chosen measure). */
  readonly keep?: readonly string[];
  readonly children?: Child;
}) {
  const { params } = props;
  const therapists = props.therapists.filter(
    (therapist) => params.programme === undefined || therapist.programmeId === params.programme,
  );
  return (
    <form class="filters" method="get" action={props.action} aria-label="Filters">
      <label>
        Programme
        <select name="programme" data-autosubmit>
          <option value="">All my programmes</option>
          {props.programmes.map((programme) => (
            <option value={programme.programmeId} selected={programme.programmeId === params.programme}>
              {programme.name ?? programme.programmeId}
            </option>
          ))}
        </select>
      </label>
      <label>
        Therapist
        <select name="therapist" data-autosubmit>
          <option value="">All therapists</option>
          {therapists.map((therapist) => (
            <option value={therapist.therapistId} selected={therapist.therapistId === params.therapist}>
              {therapist.name ?? therapist.therapistId}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" name="from" value={params.from ?? ""} data-autosubmit />
      </label>
      <label>
        To
        <input type="date" name="to" value={params.to ?? ""} data-autosubmit />
      </label>
      {props.children}
      {(props.keep ?? []).map((key) =>
        params[key] === undefined ? null : <input type="hidden" name={key} value={params[key]} />,
      )}
      <button type="submit">Apply</button>
      <a class="reset" href={props.action}>
        Reset
      </a>
    </form>
  );
}

export function Select(props: {
  readonly label: string;
  readonly name: string;
  readonly value: string;
  readonly options: readonly (readonly [value: string, label: string])[];
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} data-autosubmit>
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DataTable(props: {
  readonly table: Table;
  readonly caption?: string;
  /** What the table is, for screen readers landing on its scroll box (default: the caption, else its first columns). */
  readonly label?: string;
  readonly links?: Readonly<Record<number, (row: readonly unknown[]) => string>>;
}) {
  const label =
    props.label ?? props.caption ?? `Table of ${props.table.columns.slice(0, 3).join(", ")}`.replace(/, $/, "");
  // A table wider than the screen scrolls inside its box; the box takes keyboard focus so that
  // arrow keys can scroll it (WCAG 2.1.1) even when the table holds no link to tab to.
  return (
    <section class="table-scroll" aria-label={label} tabindex={0}>
      <table>
        {props.caption === undefined ? null : <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.table.columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.table.rows.map((row) => (
            <tr>
              {row.map((cell, index) => {
                const text =
                  cell === null || cell === undefined ? "" : typeof cell === "number" ? formatCell(cell) : String(cell);
                const link = props.links?.[index];
                return <td>{link === undefined || text === "" ? text : <a href={link(row)}>{text}</a>}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function formatCell(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 1 ? 3 : 2);
}

/** A chart with its title, notes, table view and CSV download. */
export function ChartPanel(props: {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
  readonly table: Table;
  /** The API address of the same data; the CSV link adds format=csv. */
  readonly api: string;
  readonly apiParams: Params;
  readonly notes?: Child;
  readonly rowLimit?: number;
}) {
  const limit = props.rowLimit ?? 200;
  const table = { columns: props.table.columns, rows: props.table.rows.slice(0, limit) };
  return (
    <figure class="panel" id={props.id} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <div class="chart-box">{raw(props.svg)}</div>
      {props.notes === undefined ? null : <figcaption>{props.notes}</figcaption>}
      <details class="table-view">
        <summary>Table view</summary>
        <DataTable table={table} label={`${props.title}: table view`} />
        {props.table.rows.length > limit ? (
          <p class="muted">
            First {limit} of {props.table.rows.length} rows shown; the CSV has them all.
          </p>
        ) : null}
      </details>
      <p class="downloads">
        <a href={href(props.api, { ...props.apiParams, format: "csv" })} download>
          Download CSV
        </a>{" "}
        · <a href={href(props.api, props.apiParams)}>JSON</a>
      </p>
    </figure>
  );
}

export function Association(props: { readonly children: Child }) {
  return (
    <p class="association" role="note">
      <strong>Association, not effect.</strong> {props.children}
    </p>
  );
}

export function Empty(props: { readonly what: string; readonly children?: Child }) {
  return (
    <div class="empty-state">
      <p>
        <strong>No {props.what} in this selection yet.</strong>
      </p>
      {props.children}
    </div>
  );
}

/** Where coded sessions come from, for a page or a programme that has none yet. */
export function NoCodedSessionsHelp() {
  return (
    <p>
      Sessions are coded from their transcripts: your intake or scheduling system sends each one to the ingest API as an{" "}
      <code>evoke.transcript.submitted</code> event, and it appears here, coded, within a minute. Human MITI ratings
      arrive as <code>evoke.fidelity.rated</code> events. How to send them: <a href="/help/data">Getting data in</a>.
    </p>
  );
}

/** A verdict against the MITI thresholds as a badge: its word carries the meaning, the colour only repeats it. */
export function VerdictBadge(props: { readonly verdict: Verdict }) {
  return <span class={`badge badge-${props.verdict.replace(" ", "-")}`}>{props.verdict}</span>;
}
