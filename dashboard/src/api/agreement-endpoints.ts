import { type CoderAgreement, type CodingModelVersion, coderAgreement, codingModelVersions } from "@evoke/analytics";
import type { ModelDescription } from "@evoke/mi-coding";
import { endpoint } from "./endpoint.ts";
import { filterSchema, id, resolveScope, sessionScope } from "./params.ts";

/*
 * Coder agreement: how far the automatic coder agrees with the clinic's own human MITI raters
 * on the sessions both coded, and which model versions coded the sessions in scope (with what
 * this installation knows of each: what it was trained on, whether it is the default model).
 */

export interface AgreementModel extends CodingModelVersion {
  /** Whether this installation has the model's file (committed or archived). */
  readonly known: boolean;
  /** What it was trained on; null when the installation does not have the model. */
  readonly trainedOn: string | null;
  /** The installation's default model (the committed one, packages/mi-coding/model/coder.json). */
  readonly isDefault: boolean;
  /** The sentence encoder it runs on; null for the sparse-feature coder or an unknown model. */
  readonly encoder: string | null;
}

export interface AgreementAnswer extends CoderAgreement {
  /** Every model version that coded sessions in scope, most recently used first: the first is the version in use. */
  readonly models: readonly AgreementModel[];
}

function describeVersion(version: CodingModelVersion, known: ReadonlyMap<string, ModelDescription>): AgreementModel {
  const model = known.get(version.modelVersion);
  return {
    ...version,
    known: model !== undefined,
    trainedOn: model?.trainedOn ?? null,
    isDefault: model?.isDefault ?? false,
    encoder: model?.encoder ?? null,
  };
}

/** Versions to descriptions; the first description of a version wins (the committed model comes first). */
function byVersion(models: readonly ModelDescription[]): Map<string, ModelDescription> {
  const map = new Map<string, ModelDescription>();
  for (const model of models) if (!map.has(model.version)) map.set(model.version, model);
  return map;
}

export const agreementEndpoint = endpoint({
  path: "/agreement",
  summary: "Coder agreement: automatic coding against human MITI ratings",
  description:
    "On this clinic's own double-coded sessions in scope (a human rating, `evoke.fidelity.rated`, and an automatic coding): per global rating, summary score and behaviour count (as a rate per 20 minutes), ICC(2,1) for absolute agreement with its 95% interval (McGraw & Wong) and Cicchetti's band (poor < 0.40 ≤ fair < 0.60 ≤ good < 0.75 ≤ excellent), and the mean difference automatic − human with its t 95% interval; the share of sessions whose Technical and Relational verdicts agree (Wilson 95%); the model versions compared. `models`: every automatic model version that coded sessions in scope, most recently used first (the first is the version in use), with its codings, sessions, sessions also rated by a human, last coding, and, when this installation has the model, what it was trained on and whether it is the default. CSV: the measures.",
  capability: "aggregates",
  query: filterSchema.extend({
    modelVersion: id("a model version")
      .optional()
      .describe(
        "Compare this automatic model version's codings (one of models[].modelVersion). Default: each rated session's latest automatic coding, whichever version made it.",
      ),
  }),
  load: async (context, query): Promise<AgreementAnswer> => {
    const scope = sessionScope(resolveScope(context.principal, query));
    const [agreement, versions] = await Promise.all([
      coderAgreement(context.db, {
        scope,
        ...(query.modelVersion === undefined ? {} : { modelVersion: query.modelVersion }),
      }),
      codingModelVersions(context.db, { scope }),
    ]);
    const known = byVersion(context.knownModels);
    return { ...agreement, models: versions.map((version) => describeVersion(version, known)) };
  },
  table: (answer) => ({
    columns: [
      "measure",
      "kind",
      "n",
      "icc",
      "icc_lower",
      "icc_upper",
      "band",
      "mean_difference",
      "mean_difference_lower",
      "mean_difference_upper",
      "model_versions",
    ],
    rows: answer.measures.map((measure) => [
      measure.measure,
      measure.kind,
      measure.n,
      measure.icc,
      measure.iccInterval?.lower,
      measure.iccInterval?.upper,
      measure.interpretation,
      measure.meanDifference?.mean,
      measure.meanDifference?.lower,
      measure.meanDifference?.upper,
      answer.modelVersions.join(" "),
    ]),
  }),
});
