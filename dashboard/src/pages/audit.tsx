import { auditEndpoint } from "../api/audit-endpoints.ts";
import { load } from "../api/router.ts";
import { AUDIT_ACTIONS } from "../audit/trail.ts";
import { DataTable } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { dayTimeText } from "./dates.ts";
import { Layout } from "./layout.tsx";
import { href, type Params } from "./url.ts";

/*
 * The access audit trail for directors: filters (actor, action, programme, days), a page of rows
 * newest first, and the CSV of the same filters. Opening this page is itself recorded.
 */

const ROWS_PER_PAGE = 50;
const FILTER_KEYS = ["actor", "action", "programme", "from", "to"] as const;

export async function AuditPage({ deps, principal, params, programmes }: PageContext) {
  const filters: Params = Object.fromEntries(FILTER_KEYS.map((key) => [key, params[key] || undefined]));
  const requested = Number.parseInt(params.page ?? "1", 10);
  const page = Number.isSafeInteger(requested) && requested > 0 ? requested : 1;
  const trail = await load(deps, principal, auditEndpoint, {
    ...filters,
    limit: String(ROWS_PER_PAGE),
    offset: String((page - 1) * ROWS_PER_PAGE),
  } as Record<string, string>);
  const pages = Math.max(1, Math.ceil(trail.total / ROWS_PER_PAGE));
  const pageHref = (target: number) => href("/audit", { ...filters, page: String(target) });
  return (
    <Layout title="Access audit" principal={principal} current="/audit">
      <form class="filters" method="get" action="/audit" aria-label="Filters">
        <label>
          Actor
          <input type="text" name="actor" value={filters.actor ?? ""} autocomplete="off" />
        </label>
        <label>
          Action
          <select name="action">
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((action) => (
              <option value={action} selected={action === filters.action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label>
          Programme
          <select name="programme">
            <option value="">All programmes</option>
            {programmes.map((programme) => (
              <option value={programme.programmeId} selected={programme.programmeId === filters.programme}>
                {programme.name ?? programme.programmeId}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" value={filters.from ?? ""} />
        </label>
        <label>
          To
          <input type="date" name="to" value={filters.to ?? ""} />
        </label>
        <button type="submit">Apply</button>
        <a class="reset" href="/audit">
          Reset
        </a>
      </form>
      <section class="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">Who read or changed what</h2>
        <p id="audit-summary">
          {trail.total.toLocaleString("en")} recorded requests, newest first
          {trail.total === 0
            ? "."
            : `; showing ${(page - 1) * ROWS_PER_PAGE + 1}–${(page - 1) * ROWS_PER_PAGE + trail.rows.length}.`}{" "}
          <a href={href("/api/v1/audit", { ...filters, limit: "1000", format: "csv" })} download>
            Download CSV
          </a>{" "}
          (the newest 1,000; the API pages through more). Ids only: the trail never holds transcript text.
        </p>
        <DataTable
          label="Access audit rows"
          table={{
            columns: ["When", "Actor", "Role", "Action", "Outcome", "Request", "Programme", "Session", "Client"],
            rows: trail.rows.map((row) => [
              dayTimeText(row.at),
              row.actor ?? "(unidentified)",
              row.role,
              row.action,
              `${row.outcome} (${row.status})`,
              `${row.method} ${row.path}`,
              row.programmeId,
              row.sessionId,
              row.clientId,
            ]),
          }}
        />
        {pages === 1 ? null : (
          <nav class="pager" aria-label="Pages of the audit trail">
            {page > 1 ? (
              <a href={pageHref(page - 1)} rel="prev">
                Previous
              </a>
            ) : null}
            <span aria-current="page">
              Page {Math.min(page, pages)} of {pages}
            </span>
            {page < pages ? (
              <a href={pageHref(page + 1)} rel="next">
                Next
              </a>
            ) : null}
          </nav>
        )}
      </section>
    </Layout>
  );
}
