import { tableOf } from "../api/endpoint.ts";
import { retentionEndpoint } from "../api/outcome-endpoints.ts";
import { load } from "../api/router.ts";
import { survivalChart } from "../charts/charts.ts";
import { decimal, pValueText, shareText } from "../charts/format.ts";
import { TIER_COLOURS } from "../charts/render.ts";
import { Association, ChartPanel, DataTable, FilterBar, Select } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { filtersOf } from "./url.ts";

export async function RetentionPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const tierBy = params.tierBy ?? "both";
  const query = { ...filtersOf(params), tierBy } as Record<string, string>;
  const retention = await load(deps, principal, retentionEndpoint, query);
  const groups = [retention.overall, ...retention.groups];
  const milestones = retention.definitions.milestoneDays;
  return (
    <Layout title="Fidelity vs retention" principal={principal} current="/retention" params={params}>
      <FilterBar action="/retention" params={params} programmes={programmes} therapists={therapists}>
        <Select
          label="Tier by"
          name="tierBy"
          value={tierBy}
          options={[
            ["both", "Technical and Relational"],
            ["technical", "Technical"],
            ["relational", "Relational"],
          ]}
        />
      </FilterBar>
      <Association>
        Clients whose sessions scored higher may differ in other ways (readiness, severity, caseload), so these curves
        show how retention goes with fidelity, not what fidelity causes.
      </Association>
      <ChartPanel
        id="survival"
        title="Time in treatment by fidelity tier (Kaplan-Meier)"
        svg={survivalChart(
          retention.groups.map((group) => ({ name: group.group, curve: group.survival })),
          "Kaplan-Meier curves of time to dropout by fidelity tier, with 95% bands and censoring marks",
          TIER_COLOURS,
        )}
        table={tableOf(retentionEndpoint, retention)}
        api="/api/v1/retention"
        apiParams={query}
        notes={
          <>
            A client's tier is the mean of their coded sessions against the fair and good thresholds. Steps: share still
            in treatment; bands: 95% intervals; + marks: clients censored that day (still in care on{" "}
            {retention.asOf.slice(0, 10)}, completed, or re-enrolled). Dotted rules: 30, 60 and 90 days.{" "}
            {retention.logRank === null ? (
              "Too few tiers with clients for a log-rank test."
            ) : (
              <>
                Log-rank test across tiers: χ² = {decimal(retention.logRank.chiSquare, 2)} on{" "}
                {retention.logRank.degreesOfFreedom} df, {pValueText(retention.logRank.pValue)}.
              </>
            )}
          </>
        }
      />
      <section class="panel" aria-labelledby="milestones-title">
        <h2 id="milestones-title">Retention at {milestones.join(", ")} days</h2>
        <DataTable
          table={{
            columns: [
              "Tier",
              "Episodes",
              ...milestones.map((days) => `Retained at ${days} days (95% CI; n observable)`),
              "Early dropout",
            ],
            rows: groups.map((group) => [
              group.group,
              group.episodes,
              ...milestones.map((days) => shareText(group.milestones.find((m) => m.days === days)?.retained)),
              shareText(group.earlyDropout),
            ]),
          }}
        />
        <p class="muted">
          A milestone counts only clients enrolled long enough ago to have reached it (or who dropped out before it).
        </p>
      </section>
    </Layout>
  );
}
