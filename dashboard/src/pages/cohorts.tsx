import { SUMMARY_SCORES } from "@evoke/analytics";
import { tableOf } from "../api/endpoint.ts";
import { type CohortParams, cohortsEndpoint, cohortsOf, MAX_COHORTS } from "../api/outcome-endpoints.ts";
import { load } from "../api/router.ts";
import { intervalsChart, SCORE_NAMES, survivalChart } from "../charts/charts.ts";
import { decimal, meanText, pValueText, shareText } from "../charts/format.ts";
import { ProblemError } from "../http/problems.ts";
import { Association, ChartPanel, DataTable } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { href } from "./url.ts";

/*
 * The cohort builder. Its whole state is the query string (c1.name, c1.programme, …), so a
 * comparison is shared by copying the address. Without cohorts it starts from an example.
 */

function starter(programmeId: string | undefined): Record<string, string> {
  return {
    "c1.name": "Referred by GP",
    "c1.referral": "gp",
    "c2.name": "Self-referred",
    "c2.referral": "self",
    ...(programmeId === undefined ? {} : { "c1.programme": programmeId, "c2.programme": programmeId }),
  };
}

export async function CohortsPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const hasCohorts = Object.keys(params).some((key) => /^c\d\./.test(key));
  const state: Record<string, string> = hasCohorts
    ? { ...params }
    : { ...starter(programmes[0]?.programmeId), ...params };
  let cohorts: CohortParams[] = [];
  let error: ProblemError | null = null;
  try {
    cohorts = cohortsOf(state);
  } catch (caught) {
    if (!(caught instanceof ProblemError)) throw caught;
    error = caught;
  }
  const comparison = error === null ? await load(deps, principal, cohortsEndpoint, state) : null;
  const rows = Math.min(MAX_COHORTS, Math.max(cohorts.length + 1, 2));
  const value = (index: number, field: string) => state[`c${index}.${field}`] ?? "";
  return (
    <Layout title="Cohort comparison" principal={principal} current="/cohorts">
      <form class="cohorts" method="get" action="/cohorts" aria-label="Cohorts">
        <p>
          The first cohort is the reference. Fill a row to add a cohort; the address holds the whole comparison, so
          share it by link.
        </p>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Name</th>
                <th scope="col">Programme</th>
                <th scope="col">Therapist</th>
                <th scope="col">Enrolled from</th>
                <th scope="col">Enrolled to</th>
                <th scope="col">Referral</th>
                <th scope="col">Focus</th>
                <th scope="col">Tag</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: rows }, (_, i) => i + 1).map((index) => (
                <tr>
                  <th scope="row">{index === 1 ? "1 (reference)" : index}</th>
                  <td>
                    <input
                      name={`c${index}.name`}
                      value={value(index, "name")}
                      aria-label={`Cohort ${index} name`}
                      maxlength={60}
                    />
                  </td>
                  <td>
                    <select name={`c${index}.programme`} aria-label={`Cohort ${index} programme`}>
                      <option value="">Any</option>
                      {programmes.map((programme) => (
                        <option
                          value={programme.programmeId}
                          selected={programme.programmeId === value(index, "programme")}
                        >
                          {programme.name ?? programme.programmeId}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select name={`c${index}.therapist`} aria-label={`Cohort ${index} therapist`}>
                      <option value="">Any</option>
                      {therapists.map((therapist) => (
                        <option
                          value={therapist.therapistId}
                          selected={therapist.therapistId === value(index, "therapist")}
                        >
                          {therapist.name ?? therapist.therapistId}
                        </option>
                      ))}
                    </select>
                  </td>
                  {(["from", "to"] as const).map((field) => (
                    <td>
                      <input
                        type="date"
                        name={`c${index}.${field}`}
                        value={value(index, field)}
                        aria-label={`Cohort ${index} enrolled ${field}`}
                      />
                    </td>
                  ))}
                  {(["referral", "focus", "tag"] as const).map((field) => (
                    <td>
                      <input
                        name={`c${index}.${field}`}
                        value={value(index, field)}
                        aria-label={`Cohort ${index} ${field}`}
                        size={10}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <label>
          Fidelity measure
          <select name="fidelity">
            {SUMMARY_SCORES.map((score) => (
              <option value={score} selected={score === (state.fidelity ?? "technical")}>
                {SCORE_NAMES[score]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Retention at (days)
          <input type="number" name="days" min={1} max={730} value={state.days ?? "90"} />
        </label>
        <button type="submit">Compare</button>
      </form>
      {error === null ? null : (
        <div class="error" role="alert">
          <p>{error.detail}</p>
        </div>
      )}
      {comparison === null ? null : (
        <>
          <p class="share-link">
            Link to this comparison: <a href={href("/cohorts", state)}>{href("/cohorts", state).slice(0, 120)}…</a>
          </p>
          <Association>
            Cohorts differ in who they enrol as well as in how they were treated: differences are associations, and the
            tests assume cohorts do not overlap.
          </Association>
          {comparison.notes.map((note) => (
            <p class="notice">{note}</p>
          ))}
          <section class="panel" aria-labelledby="side-title">
            <h2 id="side-title">Side by side</h2>
            <DataTable
              table={{
                columns: ["Metric", ...comparison.cohorts.map((cohort) => cohort.name)],
                rows: [
                  ["Episodes", ...comparison.cohorts.map((cohort) => cohort.episodes)],
                  [
                    "Fidelity, client mean",
                    ...comparison.cohorts.map((cohort) => meanText(cohort.fidelity.clientMean)),
                  ],
                  [
                    "Clients meeting fair",
                    ...comparison.cohorts.map((cohort) => shareText(cohort.fidelity.meetingFair)),
                  ],
                  [
                    "Clients meeting good",
                    ...comparison.cohorts.map((cohort) => shareText(cohort.fidelity.meetingGood)),
                  ],
                  ["Readiness change", ...comparison.cohorts.map((cohort) => meanText(cohort.readinessChange))],
                  [
                    `Retained at ${comparison.retentionDays} days`,
                    ...comparison.cohorts.map((cohort) => shareText(cohort.retained)),
                  ],
                  ["Sessions attended", ...comparison.cohorts.map((cohort) => meanText(cohort.sessionsAttended))],
                  [
                    "Median days to dropout",
                    ...comparison.cohorts.map((cohort) => cohort.survival.median ?? "not reached"),
                  ],
                  ["Overlap with reference", ...comparison.cohorts.map((cohort) => cohort.overlapWithReference)],
                ],
              }}
            />
          </section>
          <div class="two">
            <ChartPanel
              id="cohort-fidelity"
              title="Fidelity (client mean) per cohort"
              svg={intervalsChart(
                comparison.cohorts.map((cohort) => ({
                  label: cohort.name,
                  value: cohort.fidelity.clientMean.mean,
                  lower: cohort.fidelity.clientMean.lower,
                  upper: cohort.fidelity.clientMean.upper,
                })),
                `Mean ${SCORE_NAMES[(state.fidelity as keyof typeof SCORE_NAMES) ?? "technical"] ?? "Technical"} per client`,
                "Mean client fidelity per cohort with 95% intervals",
              )}
              table={tableOf(cohortsEndpoint, comparison)}
              api="/api/v1/cohorts/compare"
              apiParams={state}
              notes="Dots: mean; lines: t 95% intervals."
            />
            <ChartPanel
              id="cohort-retention-share"
              title={`Retained at ${comparison.retentionDays} days per cohort`}
              svg={intervalsChart(
                comparison.cohorts.map((cohort) => ({
                  label: cohort.name,
                  value: cohort.retained.share,
                  lower: cohort.retained.lower,
                  upper: cohort.retained.upper,
                })),
                `Retained at ${comparison.retentionDays} days (%)`,
                "Share retained per cohort with 95% intervals",
                true,
              )}
              table={tableOf(cohortsEndpoint, comparison)}
              api="/api/v1/cohorts/compare"
              apiParams={state}
              notes="Dots: share of clients observable that long still in treatment; lines: Wilson 95% intervals."
            />
          </div>
          <ChartPanel
            id="cohort-survival"
            title="Time in treatment per cohort (Kaplan-Meier)"
            svg={survivalChart(
              comparison.cohorts.map((cohort) => ({ name: cohort.name, curve: cohort.survival })),
              "Kaplan-Meier curves per cohort with 95% bands and censoring marks",
            )}
            table={tableOf(cohortsEndpoint, comparison)}
            api="/api/v1/cohorts/compare"
            apiParams={state}
            notes={
              <>
                + marks: censored clients.{" "}
                {comparison.logRank === null ? null : (
                  <>
                    Log-rank across cohorts: χ² = {decimal(comparison.logRank.chiSquare)},{" "}
                    {pValueText(comparison.logRank.pValue)}.
                  </>
                )}
              </>
            }
          />
          <section class="panel" aria-labelledby="tests-title">
            <h2 id="tests-title">Tests against the reference ({comparison.reference})</h2>
            <DataTable
              table={{
                columns: ["Metric", "Cohort", "Test", "Difference (95% CI)", "p", "Effect size"],
                rows: comparison.tests.map((test) => [
                  test.metric,
                  test.cohort,
                  test.test,
                  test.difference === undefined
                    ? "–"
                    : `${decimal(test.difference, 3)} (${decimal(test.lower, 3)} to ${decimal(test.upper, 3)})`,
                  pValueText(test.pValue),
                  test.effectSize === undefined ? "–" : `${test.effectSize.name} ${decimal(test.effectSize.value, 2)}`,
                ]),
              }}
            />
            <p class="muted">
              Several tests at once: a p-value near 0.05 among many is weak evidence. Tests compare each cohort with the
              reference.
            </p>
          </section>
        </>
      )}
    </Layout>
  );
}
