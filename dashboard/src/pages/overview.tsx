import { SUMMARY_SCORES } from "@evoke/analytics";
import { tableOf } from "../api/endpoint.ts";
import { overviewEndpoint, type ProgrammeOverview } from "../api/fidelity-endpoints.ts";
import { load } from "../api/router.ts";
import { intervalsChart, SCORE_NAMES, sharesChart, trendChart } from "../charts/charts.ts";
import { decimal, meanText, percent, shareText } from "../charts/format.ts";
import type { Table } from "../http/csv.ts";
import { ChartPanel, Empty, FilterBar, NoCodedSessionsHelp } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import {
  MAX_PROGRAMME_CARDS,
  type ProgrammeSort,
  programmeRows,
  programmeSortHref,
  programmeTableView,
  sortProgrammeRows,
} from "./programme-table.ts";
import { describeSignals } from "./signals.ts";
import { filtersOf, href, type Params } from "./url.ts";

const DETAILED_PROGRAMMES = 6;

export async function OverviewPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const overview = await load(deps, principal, overviewEndpoint, filtersOf(params) as Record<string, string>);
  const filters = filtersOf(params);
  const table = tableOf(overviewEndpoint, overview);
  // With many programmes, one comparison chart replaces a chart per card; with more, a table the cards.
  const detailed = overview.programmes.length <= DETAILED_PROGRAMMES;
  const asTable = overview.programmes.length > MAX_PROGRAMME_CARDS;
  const signals = [
    ...describeSignals(overview.series.technical, "Technical"),
    ...describeSignals(overview.series.relational, "Relational"),
  ];
  return (
    <Layout title="Overview" principal={principal} current="/overview" params={params}>
      <FilterBar
        action="/overview"
        params={params}
        programmes={programmes}
        therapists={therapists}
        keep={["sort", "order"]}
      />
      <p class="lede">
        Is MI on target, and does it go with readier clients who stay? Shares are of coded sessions at or above the MITI
        4.2.1 thresholds, with 95% intervals. Retention and readiness are per enrolment.
      </p>
      {overview.programmes.length === 0 ? (
        <Empty what="programmes">
          <p>
            A programme appears here once Evoke has heard of it: from an <code>evoke.programme.registered</code> event,
            or the first enrolment or session that names it.
          </p>
          <NoCodedSessionsHelp />
        </Empty>
      ) : null}
      {asTable ? (
        <ProgrammeTable programmes={overview.programmes} params={params} />
      ) : (
        <div class="cards">
          {overview.programmes.map((programme) => (
            <ProgrammeCard programme={programme} filters={filters} table={table} withChart={detailed} />
          ))}
        </div>
      )}
      {detailed ? null : (
        <ChartPanel
          id="programmes-technical"
          title="Sessions at fair or better on Technical, per programme"
          svg={intervalsChart(
            overview.programmes.map((programme) => ({
              label: programme.name ?? programme.programmeId,
              value: programme.scores?.technical.fair.share ?? null,
              lower: programme.scores?.technical.fair.lower ?? null,
              upper: programme.scores?.technical.fair.upper ?? null,
            })),
            "Sessions at fair or better on Technical (%)",
            "Share of sessions at fair or better on Technical per programme, with 95% intervals",
            true,
          )}
          table={table}
          api="/api/v1/overview"
          apiParams={filters}
          notes="Dots: share of coded sessions at or above the Technical fair threshold; lines: Wilson 95% intervals. Pick a programme for its full profile."
        />
      )}
      <ChartPanel
        id="trend"
        title="Fidelity trend, by month"
        svg={trendChart(overview.trend, "Monthly mean Technical and Relational scores with 95% intervals")}
        table={{
          columns: [
            "month",
            "sessions",
            "technical_mean",
            "technical_lower",
            "technical_upper",
            "relational_mean",
            "relational_lower",
            "relational_upper",
          ],
          rows: overview.trend.map((group) => [
            group.key,
            group.sessions,
            group.scores.technical.mean.mean,
            group.scores.technical.mean.lower,
            group.scores.technical.mean.upper,
            group.scores.relational.mean.mean,
            group.scores.relational.mean.lower,
            group.scores.relational.mean.upper,
          ]),
        }}
        api="/api/v1/fidelity"
        apiParams={{ ...filters, by: "month" }}
        notes="Solid: Technical; dashed: Relational; bands: 95% intervals of the monthly mean. Dashed rules: the Technical fair and good thresholds."
      />
      <section class="panel" aria-labelledby="signals-title">
        <h2 id="signals-title">QI signals</h2>
        {signals.length === 0 ? (
          <p>No special-cause signal on the monthly Technical and Relational XmR charts.</p>
        ) : (
          <ul class="signals">
            {signals.map((signal) => (
              <li>{signal}</li>
            ))}
          </ul>
        )}
        <p>
          <a href={href("/qi", filters)}>Open the control charts</a>
        </p>
      </section>
    </Layout>
  );
}

function ProgrammeCard(props: {
  readonly programme: ProgrammeOverview;
  readonly filters: Params;
  readonly table: Table;
  readonly withChart: boolean;
}) {
  const { programme, filters, table } = props;
  const name = programme.name ?? programme.programmeId;
  const retained90 = programme.retention.find((milestone) => milestone.days === 90)?.retained;
  return (
    <section class="card" aria-labelledby={`p-${programme.programmeId}`}>
      <h2 id={`p-${programme.programmeId}`}>
        <a href={href("/overview", { ...filters, programme: programme.programmeId })}>{name}</a>
      </h2>
      <dl class="kpis">
        <div>
          <dt>Clients, sessions attended</dt>
          <dd>
            {programme.clients.toLocaleString("en")} clients, {programme.sessionsAttended.toLocaleString("en")} sessions
          </dd>
        </div>
        <div>
          <dt>Sessions coded</dt>
          <dd>
            {programme.sessionsCoded} ({programme.sessionsCoded - programme.humanRated} automatic,{" "}
            {programme.humanRated} human)
          </dd>
        </div>
        {SUMMARY_SCORES.slice(0, 2).map((score) => (
          <div>
            <dt>{SCORE_NAMES[score]} at fair or better</dt>
            <dd>{shareText(programme.scores?.[score].fair)}</dd>
          </div>
        ))}
        <div>
          <dt>Retained at 90 days</dt>
          <dd>{shareText(retained90)}</dd>
        </div>
        <div>
          <dt>Mean readiness change (ruler, 0–10)</dt>
          <dd>{meanText(programme.readinessChange)}</dd>
        </div>
      </dl>
      {programme.scores === null ? (
        <Empty what="coded sessions">
          <NoCodedSessionsHelp />
        </Empty>
      ) : !props.withChart ? null : (
        <ChartPanel
          id={`shares-${programme.programmeId}`}
          title="Sessions at fair and good"
          svg={sharesChart(programme.scores, `Share of sessions at fair and good on each MITI score for ${name}`)}
          table={{ columns: table.columns, rows: table.rows.filter((row) => row[0] === programme.programmeId) }}
          api={`/api/v1/programmes/${encodeURIComponent(programme.programmeId)}/summary`}
          apiParams={{ from: filters.from, to: filters.to }}
          notes={
            <>
              Dots: share of coded sessions at or above the threshold; lines: Wilson 95% intervals. Retention at
              30/60/90 days:{" "}
              {programme.retention.map((m) => `${m.days} d ${percent(m.retained.share)}`).join(", ") || "–"}.
            </>
          }
        />
      )}
    </section>
  );
}

const PROGRAMME_COLUMNS: readonly { readonly sort: ProgrammeSort; readonly label: string }[] = [
  { sort: "name", label: "Programme" },
  { sort: "clients", label: "Clients" },
  { sort: "sessionsCoded", label: "Sessions coded" },
  { sort: "technical", label: "Technical at fair or better" },
  { sort: "relational", label: "Relational at fair or better" },
  { sort: "retained90", label: "Retained at 90 days" },
  { sort: "readinessChange", label: "Mean readiness change" },
];

/** Many programmes: one sortable row each (headings are links), with a link to each one's own view. */
function ProgrammeTable(props: { readonly programmes: readonly ProgrammeOverview[]; readonly params: Params }) {
  const filters = filtersOf(props.params);
  const view = programmeTableView(props.params);
  const rows = sortProgrammeRows(programmeRows(props.programmes), view);
  return (
    <section class="panel" aria-labelledby="programmes-title">
      <h2 id="programmes-title">Programmes ({rows.length})</h2>
      <p class="muted">
        Shares are of coded sessions at or above the MITI fair threshold. Select a heading to sort; select a programme
        for its full profile.
      </p>
      <div class="table-scroll">
        <table class="programmes">
          <thead>
            <tr>
              {PROGRAMME_COLUMNS.map((column) => (
                <th
                  scope="col"
                  aria-sort={column.sort !== view.sort ? undefined : view.order === "asc" ? "ascending" : "descending"}
                >
                  <a href={programmeSortHref(filters, view, column.sort)}>
                    {column.label}
                    <span aria-hidden="true">
                      {column.sort !== view.sort ? "" : view.order === "asc" ? " ▲" : " ▼"}
                    </span>
                  </a>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <th scope="row">
                  <a href={href("/overview", { ...filters, programme: row.programmeId })}>{row.name}</a>
                </th>
                <td>{row.clients.toLocaleString("en")}</td>
                <td>{row.sessionsCoded.toLocaleString("en")}</td>
                <td>{percent(row.technical)}</td>
                <td>{percent(row.relational)}</td>
                <td>{percent(row.retained90)}</td>
                <td>{decimal(row.readinessChange)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
