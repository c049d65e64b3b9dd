import type { MeasureAgreement } from "@evoke/analytics";
import { type AgreementAnswer, type AgreementModel, agreementEndpoint } from "../api/agreement-endpoints.ts";
import { tableOf } from "../api/endpoint.ts";
import { load } from "../api/router.ts";
import { type IccRow, iccChart } from "../charts/charts.ts";
import { decimal, shareText } from "../charts/format.ts";
import { ChartPanel, DataTable, FilterBar, Select } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";
import { filtersOf } from "./url.ts";

/*
 * Coder agreement, for a clinic director deciding how far to trust automatic scores: which model
 * version produced them, and how far it agrees with the clinic's own human MITI raters on the
 * sessions both coded.
 */

const MEASURE_NAMES: Record<MeasureAgreement["measure"], string> = {
  cultivatingChangeTalk: "Cultivating change talk",
  softeningSustainTalk: "Softening sustain talk",
  partnership: "Partnership",
  empathy: "Empathy",
  technical: "Technical",
  relational: "Relational",
  percentComplexReflections: "%CR",
  reflectionToQuestion: "R:Q",
  givingInformation: "Giving information",
  persuade: "Persuade",
  persuadeWithPermission: "Persuade with permission",
  question: "Question",
  simpleReflection: "Simple reflection",
  complexReflection: "Complex reflection",
  affirm: "Affirm",
  seekingCollaboration: "Seeking collaboration",
  emphasizingAutonomy: "Emphasising autonomy",
  confront: "Confront",
};

const KIND_NAMES: Record<MeasureAgreement["kind"], string> = {
  global: "Global rating (1–5)",
  summary: "Summary score",
  code: "Behaviour, per 20 minutes",
};

const measureLabel = (measure: MeasureAgreement) =>
  `${MEASURE_NAMES[measure.measure]}${measure.kind === "code" ? " /20 min" : ""}`;

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function iccText(measure: MeasureAgreement): string {
  if (measure.icc === null) return "–";
  const interval = measure.iccInterval;
  return interval === null
    ? decimal(measure.icc)
    : `${decimal(measure.icc)} (95% CI ${decimal(interval.lower)} to ${decimal(interval.upper)})`;
}

function differenceText(measure: MeasureAgreement): string {
  const difference = measure.meanDifference;
  if (difference === null) return "–";
  const signed = (value: number) => `${value > 0 ? "+" : ""}${decimal(value)}`;
  return `${signed(difference.mean)} (95% CI ${signed(difference.lower)} to ${signed(difference.upper)})`;
}

/** Whether the interval of automatic − human excludes 0: a systematic difference, and which way. */
function biasText(measure: MeasureAgreement): string {
  const difference = measure.meanDifference;
  if (difference === null) return "–";
  if (difference.lower > 0) return "automatic higher";
  if (difference.upper < 0) return "automatic lower";
  return "no clear difference";
}

function whatModelIs(model: AgreementModel): string {
  if (model.isDefault) return "this installation's default model";
  if (model.known) return "not this installation's default model (an earlier version it keeps)";
  return "a model this installation does not have (trained elsewhere, or its file was removed)";
}

function ModelInUse(props: { readonly models: readonly AgreementModel[] }) {
  const inUse = props.models[0];
  if (inUse === undefined) {
    return (
      <section class="panel" id="model-in-use" aria-labelledby="model-in-use-title">
        <h2 id="model-in-use-title">Model in use: none in this selection</h2>
        <p>No automatic coding of a session in this selection yet.</p>
      </section>
    );
  }
  return (
    <section class="panel" id="model-in-use" aria-labelledby="model-in-use-title">
      <h2 id="model-in-use-title">
        Model in use: <code>{inUse.modelVersion}</code>
      </h2>
      <p>
        The version of the latest automatic coding in this selection ({when(inUse.lastCodedAt)}): {whatModelIs(inUse)}.
        Trained on: {inUse.trainedOn ?? "not known to this installation"}.
      </p>
      <DataTable
        caption="Model versions that coded sessions in this selection, most recently used first"
        table={{
          columns: [
            "Model version",
            "Automatic codings",
            "Sessions",
            "Also rated by a human",
            "Last coded",
            "Default model",
            "Trained on",
          ],
          rows: props.models.map((model) => [
            model.modelVersion,
            model.codings,
            model.sessions,
            model.humanRatedSessions,
            when(model.lastCodedAt),
            model.isDefault ? "yes" : "no",
            model.trainedOn ?? "not known to this installation",
          ]),
        }}
      />
    </section>
  );
}

function NoDoubleCodedSessions(props: {
  readonly selected: string | undefined;
  readonly models: readonly AgreementModel[];
}) {
  const others = props.models.filter((model) => model.humanRatedSessions > 0 && model.modelVersion !== props.selected);
  return (
    <section class="panel" id="no-agreement" aria-labelledby="no-agreement-title">
      <h2 id="no-agreement-title">No double-coded sessions yet</h2>
      <p class="empty">
        No session in this selection has both a human MITI rating and an automatic coding
        {props.selected === undefined ? "" : ` by ${props.selected}`}, so agreement cannot be measured yet.
      </p>
      <p>To measure it:</p>
      <ol>
        <li>
          Have your MITI raters code a sample of sessions whose transcripts Evoke has coded (a random 10–20% of sessions
          is usual).
        </li>
        <li>
          Send each rating to the ingest API as an <code>evoke.fidelity.rated</code> event (the ingest guide,
          docs/ingest.md, has an example); this page shows the agreement once they are recorded.
        </li>
        <li>Or widen the programme, therapist and period filters above.</li>
      </ol>
      {others.length === 0 ? null : (
        <p>
          Versions with double-coded sessions in this selection:{" "}
          {others.map((model) => `${model.modelVersion} (${model.humanRatedSessions})`).join(", ")}.
        </p>
      )}
    </section>
  );
}

function Compared(props: { readonly answer: AgreementAnswer; readonly selected: string | undefined }) {
  const { answer, selected } = props;
  return (
    <p class="lede" id="compared">
      Agreement on this clinic's own double-coded sessions: {answer.sessions} session
      {answer.sessions === 1 ? "" : "s"} in this selection rated by a human MITI coder and coded by{" "}
      {selected === undefined ? (
        <>the automatic coder (each session's latest coding; model {answer.modelVersions.join(", ")})</>
      ) : (
        <>
          model <code>{selected}</code>
        </>
      )}
      . Automatic − human: a positive difference means the coder scores higher than your raters.
    </p>
  );
}

export async function AgreementPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const selected = params.modelVersion === "" ? undefined : params.modelVersion;
  const query = { ...filtersOf(params), modelVersion: selected } as Record<string, string>;
  const answer = await load(deps, principal, agreementEndpoint, query);
  const versions = answer.models.map((model) => model.modelVersion);
  const inUse = versions[0];
  // The selector offers every version that coded here, and keeps a chosen one that did not.
  const choices = selected !== undefined && !versions.includes(selected) ? [...versions, selected] : versions;
  const rows: IccRow[] = answer.measures.map((measure) => ({
    label: measureLabel(measure),
    icc: measure.icc,
    lower: measure.iccInterval?.lower ?? null,
    upper: measure.iccInterval?.upper ?? null,
    band: measure.interpretation,
    n: measure.n,
  }));
  return (
    <Layout title="Coder agreement" principal={principal} current="/agreement" params={params}>
      <FilterBar
        action="/agreement"
        params={params}
        programmes={programmes}
        therapists={therapists}
        keep={choices.length > 1 ? [] : ["modelVersion"]}
      >
        {choices.length > 1 ? (
          <Select
            label="Model version"
            name="modelVersion"
            value={selected ?? ""}
            options={[
              ["", "Each session's latest coding"],
              ...choices.map((version): [string, string] => [
                version,
                `${version}${version === inUse ? " (in use)" : ""}${versions.includes(version) ? "" : " (no codings here)"}`,
              ]),
            ]}
          />
        ) : null}
      </FilterBar>
      <ModelInUse models={answer.models} />
      {answer.sessions === 0 ? (
        <NoDoubleCodedSessions selected={selected} models={answer.models} />
      ) : (
        <>
          <Compared answer={answer} selected={selected} />
          {selected === undefined && answer.modelVersions.length > 1 ? (
            <p class="notice">
              These figures mix {answer.modelVersions.length} model versions (each session's latest coding). Choose one
              under Model version to see its agreement alone.
            </p>
          ) : null}
          {selected !== undefined && inUse !== undefined && selected !== inUse ? (
            <p class="notice">
              Showing {selected}, not the version in use ({inUse}).
            </p>
          ) : null}
          <ChartPanel
            id="icc"
            title="Agreement with your human raters per measure (ICC)"
            svg={iccChart(
              rows,
              `ICC(2,1) of the automatic coder against human MITI ratings per measure, with 95% intervals, on ${answer.sessions} double-coded sessions`,
            )}
            table={tableOf(agreementEndpoint, answer)}
            api="/api/v1/agreement"
            apiParams={query}
            notes={
              <>
                Dots: ICC(2,1), absolute agreement between the automatic coding and the human rating of the same
                session; lines: 95% intervals (McGraw & Wong). Dashed rules: Cicchetti's bands, fair from 0.40, good
                from 0.60, excellent from 0.75. Behaviour counts are compared per 20 minutes (your raters code a
                segment, the coder the whole session). Measures with too few sessions or no variation have no dot.
              </>
            }
          />
          <section class="panel" aria-labelledby="measures-title">
            <h2 id="measures-title">Agreement per measure</h2>
            <DataTable
              caption="Automatic against human on this clinic's own double-coded sessions"
              table={{
                columns: [
                  "Measure",
                  "Kind",
                  "Sessions (n)",
                  "ICC (95% CI)",
                  "Band",
                  "Mean difference, automatic − human (95% CI)",
                  "Reading",
                ],
                rows: answer.measures.map((measure) => [
                  measureLabel(measure),
                  KIND_NAMES[measure.kind],
                  measure.n,
                  iccText(measure),
                  measure.interpretation ?? "–",
                  differenceText(measure),
                  biasText(measure),
                ]),
              }}
            />
            <p class="muted">
              Bands (Cicchetti 1994): poor below 0.40, fair 0.40–0.59, good 0.60–0.74, excellent 0.75 and above. With
              few sessions the intervals are wide: judge by the interval, not the dot.
            </p>
          </section>
          <section class="panel" aria-labelledby="verdicts-title">
            <h2 id="verdicts-title">Same verdict as your raters</h2>
            <DataTable
              table={{
                columns: ["Score", "Sessions in the same band (below fair, fair, good)"],
                rows: [
                  ["Technical", shareText(answer.verdictAgreement.technical)],
                  ["Relational", shareText(answer.verdictAgreement.relational)],
                ],
              }}
            />
            <p class="muted">Bands by the MITI 4.2.1 thresholds; intervals are Wilson 95%.</p>
          </section>
        </>
      )}
      <p class="muted" id="validation">
        How the automatic coder was validated against expert codes, its measured accuracy and what it cannot do: the
        “Accuracy” section of <code>packages/mi-coding/README.md</code> in the Evoke source. Where a session has a human
        rating, that rating counts on every other page.
      </p>
    </Layout>
  );
}
