import { SUMMARY_SCORES } from "@evoke/analytics";
import { can } from "../access/principal.ts";
import { tableOf } from "../api/endpoint.ts";
import { qiSeriesEndpoint } from "../api/fidelity-endpoints.ts";
import { load } from "../api/router.ts";
import { qiChart, SCORE_NAMES } from "../charts/charts.ts";
import { decimal } from "../charts/format.ts";
import { ChartPanel, FilterBar, Select } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { describeSignals } from "./signals.ts";
import { filtersOf, href } from "./url.ts";

const CHARTS = [
  ["xmr", "XmR (mean, natural process limits)"],
  ["run", "Run chart (median)"],
  ["p", "P chart (share of sessions at a level)"],
] as const;

export async function QiPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const query = {
    ...filtersOf(params),
    score: params.score ?? "technical",
    chart: params.chart ?? "xmr",
    level: params.level ?? "good",
    interval: params.interval ?? "month",
  } as Record<string, string>;
  const series = await load(deps, principal, qiSeriesEndpoint, query);
  const score = series.measure.score;
  const label =
    series.measure.kind === "share"
      ? `Sessions at ${series.measure.level} or better on ${SCORE_NAMES[score]} (%)`
      : `Mean ${SCORE_NAMES[score]}`;
  const signals = describeSignals(series, SCORE_NAMES[score]);
  const mayAnnotate = can(principal, "annotate");
  const back = href("/qi", { ...query });
  return (
    <Layout title="Fidelity over time" principal={principal} current="/qi" params={params}>
      <FilterBar action="/qi" params={params} programmes={programmes} therapists={therapists}>
        <Select label="Score" name="score" value={score} options={SUMMARY_SCORES.map((s) => [s, SCORE_NAMES[s]])} />
        <Select label="Chart" name="chart" value={series.chart} options={CHARTS} />
        <Select
          label="Level (P chart)"
          name="level"
          value={query.level ?? "good"}
          options={[
            ["good", "Good"],
            ["fair", "Fair"],
          ]}
        />
        <Select
          label="Interval"
          name="interval"
          value={series.interval}
          options={[
            ["month", "Month"],
            ["week", "Week"],
          ]}
        />
      </FilterBar>
      <ChartPanel
        id="qi-chart"
        title={`${label}, ${series.chart === "p" ? "P chart" : series.chart === "run" ? "run chart" : "XmR chart"} by ${series.interval}`}
        svg={qiChart(series, series.annotations, label, `${series.chart} chart of ${label} by ${series.interval}`)}
        table={tableOf(qiSeriesEndpoint, series)}
        api="/api/v1/qi-series"
        apiParams={query}
        notes={
          <>
            Solid rule: centre line ({series.chart === "run" ? "median" : "mean"} {decimal(series.centre, 3)}); dashed:{" "}
            {series.chart === "run" ? "none on a run chart" : "control limits"}; red diamonds: special-cause points;
            purple rules: annotations.
            {series.sigmaZ === undefined ? null : <> Laney σz = {decimal(series.sigmaZ, 2)}.</>}
          </>
        }
      />
      <section class="panel" aria-labelledby="signals-title">
        <h2 id="signals-title">Special-cause signals</h2>
        {signals.length === 0 ? (
          <p>None: the variation is consistent with a stable process.</p>
        ) : (
          <ul class="signals">
            {signals.map((signal) => (
              <li>{signal}</li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel" aria-labelledby="notes-title">
        <h2 id="notes-title">Annotations</h2>
        <p class="muted">Seen by everyone who sees these programmes.</p>
        <section class="table-scroll" aria-label="Annotations" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Note</th>
                <th scope="col">Programme</th>
                <th scope="col">Added by</th>
                {mayAnnotate ? <th scope="col">Remove</th> : null}
              </tr>
            </thead>
            <tbody>
              {series.annotations.map((note) => (
                <tr>
                  <td>{note.day}</td>
                  <td>{note.label}</td>
                  <td>{note.programmeId ?? "all programmes"}</td>
                  <td>{note.createdBy}</td>
                  {mayAnnotate ? (
                    <td>
                      <form method="post" action={`/annotations/${note.annotationId}/delete`}>
                        <input type="hidden" name="back" value={back} />
                        <button type="submit" aria-label={`Remove the annotation "${note.label}" of ${note.day}`}>
                          Remove
                        </button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {mayAnnotate ? (
          <form class="annotate" method="post" action="/annotations">
            <label>
              Day
              <input type="date" name="day" required />
            </label>
            <label>
              Note
              <input type="text" name="label" maxlength={120} required placeholder="MI refresher training" />
            </label>
            <label>
              Programme
              <select name="programmeId">
                {principal.programmeIds === null ? <option value="">All programmes</option> : null}
                {programmes.map((programme) => (
                  <option value={programme.programmeId} selected={programme.programmeId === params.programme}>
                    {programme.name ?? programme.programmeId}
                  </option>
                ))}
              </select>
            </label>
            <input type="hidden" name="back" value={back} />
            <button type="submit">Add annotation</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}
