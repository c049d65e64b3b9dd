import { tableOf } from "../api/endpoint.ts";
import { fidelityEndpoint, sessionsEndpoint } from "../api/fidelity-endpoints.ts";
import { load } from "../api/router.ts";
import { MAX_THERAPIST_ROWS, SCORE_NAMES, therapistChart, thresholdOf, trendChart } from "../charts/charts.ts";
import { notFound } from "../http/problems.ts";
import { ChartPanel, DataTable, Empty, FilterBar } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { filtersOf, href } from "./url.ts";

export async function TherapistsPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const filters = filtersOf(params);
  const query = { ...filters, by: "therapist" } as Record<string, string>;
  const groups = await load(deps, principal, fidelityEndpoint, query);
  const technical = thresholdOf("technical");
  const relational = thresholdOf("relational");
  return (
    <Layout title="Therapists" principal={principal} current="/therapists" params={params}>
      <FilterBar action="/therapists" params={params} programmes={programmes} therapists={therapists} />
      {groups.length === 0 ? <Empty what="coded sessions" /> : null}
      <div class="two">
        {(["technical", "relational"] as const).map((score) => (
          <ChartPanel
            id={`therapists-${score}`}
            title={`Mean ${SCORE_NAMES[score]} per therapist`}
            svg={therapistChart(
              groups,
              score,
              `Each therapist's mean ${SCORE_NAMES[score]} with 95% interval against thresholds`,
            )}
            table={tableOf(fidelityEndpoint, groups)}
            api="/api/v1/fidelity"
            apiParams={query}
            notes={`${groups.length > MAX_THERAPIST_ROWS ? `The ${MAX_THERAPIST_ROWS / 2} highest and ${MAX_THERAPIST_ROWS / 2} lowest of ${groups.length} therapists; all are in the table and the CSV. ` : ""}Dots: mean over the therapist's coded sessions (triangle below fair, square fair, circle good); lines: 95% intervals; dashed rules: fair ${score === "technical" ? technical.fair : relational.fair} and good ${score === "technical" ? technical.good : relational.good}.`}
          />
        ))}
      </div>
      <section class="panel" aria-labelledby="profiles-title">
        <h2 id="profiles-title">Profiles</h2>
        <DataTable
          table={{
            columns: [
              "Therapist",
              "Sessions coded",
              "Human-rated",
              "Technical",
              "Relational",
              "%CR",
              "R:Q",
              "Good on Technical",
            ],
            rows: groups.map((group) => [
              group.label ?? group.key,
              group.sessions,
              group.humanRated,
              group.scores.technical.mean.mean,
              group.scores.relational.mean.mean,
              group.scores.percentComplexReflections.mean.mean,
              group.scores.reflectionToQuestion.mean.mean,
              group.scores.technical.good.share,
            ]),
          }}
          links={{
            0: (row) =>
              href(
                `/therapists/${encodeURIComponent(String(groups.find((g) => (g.label ?? g.key) === row[0])?.key ?? row[0]))}`,
                filters,
              ),
          }}
        />
      </section>
    </Layout>
  );
}

export async function TherapistPage(context: PageContext, therapistId: string) {
  const { deps, principal, params, programmes, therapists } = context;
  const therapist = therapists.find((entry) => entry.therapistId === therapistId);
  if (therapist === undefined) throw notFound(`Therapist "${therapistId}"`);
  const filters = { ...filtersOf(params), therapist: therapistId };
  const [trend, sessions] = await Promise.all([
    load(deps, principal, fidelityEndpoint, { ...filters, by: "month" } as Record<string, string>),
    load(deps, principal, sessionsEndpoint, { ...filters, limit: "100" } as Record<string, string>),
  ]);
  const name = therapist.name ?? therapistId;
  return (
    <Layout title={`Therapist: ${name}`} principal={principal} current="/therapists" params={params}>
      <FilterBar
        action={`/therapists/${encodeURIComponent(therapistId)}`}
        params={filters}
        programmes={programmes}
        therapists={therapists}
      />
      <ChartPanel
        id="therapist-trend"
        title={`${name}: monthly fidelity`}
        svg={trendChart(trend, `Monthly mean Technical and Relational for ${name}`)}
        table={tableOf(fidelityEndpoint, trend)}
        api="/api/v1/fidelity"
        apiParams={{ ...filters, by: "month" }}
        notes="Solid: Technical; dashed: Relational; bands: 95% intervals. Few sessions a month make wide intervals."
      />
      <section class="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Coded sessions ({sessions.total})</h2>
        <DataTable
          table={tableOf(sessionsEndpoint, sessions)}
          links={{ 0: (row) => `/sessions/${encodeURIComponent(String(row[0]))}` }}
        />
      </section>
    </Layout>
  );
}
