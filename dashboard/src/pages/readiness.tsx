import { ASSOCIATION_NOTE, SUMMARY_SCORES } from "@evoke/analytics";
import { tableOf } from "../api/endpoint.ts";
import { associationEndpoint } from "../api/outcome-endpoints.ts";
import { load } from "../api/router.ts";
import { associationChart, SCORE_NAMES } from "../charts/charts.ts";
import { decimal, pValueText } from "../charts/format.ts";
import { Association, ChartPanel, Empty, FilterBar, Select } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { filtersOf } from "./url.ts";

const OUTCOMES = [
  ["readinessChange", "Readiness change (ruler points, latest − first)"],
  ["retained90", "Retained at 90 days (1 = yes, 0 = dropped out)"],
  ["sessionsAttended", "Sessions attended"],
] as const;

export async function ReadinessPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const measure = params.measure ?? "technical";
  const outcome = params.outcome ?? "readinessChange";
  const unit = params.unit ?? "client";
  const query = { ...filtersOf(params), measure, outcome, unit } as Record<string, string>;
  const association = await load(deps, principal, associationEndpoint, query);
  const perTherapist = association.unit === "therapist";
  const xLabel = `${perTherapist ? "Therapist's clients'" : "Client's"} mean ${SCORE_NAMES[association.fidelity]}${association.fidelity === "percentComplexReflections" ? " (%)" : ""}`;
  const yLabel = OUTCOMES.find(([value]) => value === outcome)?.[1] ?? outcome;
  const fit = association.fit;
  return (
    <Layout title="Fidelity vs readiness" principal={principal} current="/readiness" params={params}>
      <FilterBar action="/readiness" params={params} programmes={programmes} therapists={therapists}>
        <Select
          label="Fidelity measure"
          name="measure"
          value={association.fidelity}
          options={SUMMARY_SCORES.map((score) => [score, SCORE_NAMES[score]])}
        />
        <Select label="Outcome" name="outcome" value={outcome} options={OUTCOMES} />
        <Select
          label="Per"
          name="unit"
          value={association.unit}
          options={[
            ["client", "Client"],
            ["therapist", "Therapist"],
          ]}
        />
      </FilterBar>
      <Association>{ASSOCIATION_NOTE.replace(/^Association, not effect:\s*/, "")}</Association>
      {association.n === 0 ? <Empty what="clients with both a coded session and this outcome" /> : null}
      <ChartPanel
        id="association"
        title={`${SCORE_NAMES[association.fidelity]} against ${yLabel.toLowerCase()}, per ${association.unit}`}
        svg={associationChart(
          association,
          { x: xLabel, y: yLabel },
          `Scatter of ${xLabel} against ${yLabel} with fitted line and 95% band`,
        )}
        table={tableOf(associationEndpoint, association)}
        api="/api/v1/associations"
        apiParams={query}
        notes={
          <>
            {perTherapist
              ? `One dot per therapist: the means over their clients (${association.n} therapists); an association between therapists, which need not hold for a therapist's own clients.`
              : `One dot per enrolment episode (up to 1,000 shown; the statistics use all ${association.n}).`}{" "}
            Line: least squares fit; band: its 95% confidence band.{" "}
            {fit === null ? (
              "Too few clients to fit a line."
            ) : (
              <>
                Slope {decimal(fit.slope, 3)} per point of fidelity (95% CI {decimal(fit.slopeLower, 3)} to{" "}
                {decimal(fit.slopeUpper, 3)}, {pValueText(fit.slopePValue)}), R² = {decimal(fit.rSquared, 3)}, n ={" "}
                {fit.n}.
              </>
            )}{" "}
            {association.correlation === null ? null : <>Pearson r = {decimal(association.correlation.r, 3)}.</>}{" "}
            {association.adjusted === null ? null : (
              <>
                Holding baseline readiness fixed: slope {decimal(association.adjusted.fidelity.estimate, 3)} (95% CI{" "}
                {decimal(association.adjusted.fidelity.lower, 3)} to {decimal(association.adjusted.fidelity.upper, 3)},
                n = {association.adjusted.n}).
              </>
            )}
          </>
        }
      />
    </Layout>
  );
}
