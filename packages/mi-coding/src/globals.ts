import { minimizeLbfgs } from "./lbfgs.ts";
import { SESSION_FEATURES, type SessionFeature, type SessionMeasures } from "./session-features.ts";

/*
 * Estimated MITI global ratings (1-5). AnnoMI has no global ratings, only an expert judgement of
 * each session as high- or low-quality MI, so each global is a logistic model of "this session
 * is high-quality MI" on the session measures that global is about (e.g. Empathy: how much and
 * how deeply the clinician reflects), fitted on the training split with balanced classes and
 * mapped to the scale as 1 + 4p: an undecided session sits at 3, where a MITI coder starts.
 * These are estimates of where a session sits, not ratings a trained coder would give.
 */

export const GLOBAL_NAMES = ["cultivatingChangeTalk", "softeningSustainTalk", "partnership", "empathy"] as const;
export type GlobalName = (typeof GLOBAL_NAMES)[number];
export type GlobalRatings = Record<GlobalName, number>;

/** Which session measures inform which global (MITI 4.2.1 definitions of each). */
export const GLOBAL_INPUTS: Record<GlobalName, readonly SessionFeature[]> = {
  // Evoking and reinforcing the client's reasons for change, rather than supplying them.
  cultivatingChangeTalk: [
    "changeShare",
    "meanChangeProbability",
    "reflectionToQuestion",
    "meanInputProbability",
    "informationRate",
  ],
  // Not amplifying sustain talk: reflecting rather than arguing with it.
  softeningSustainTalk: [
    "meanSustainProbability",
    "reflectionRate",
    "nonAdherentRate",
    "meanInputProbability",
    "complexShare",
  ],
  // Power sharing: collaboration over expertise, the client talking more than the clinician.
  partnership: [
    "adherentRate",
    "reflectionToQuestion",
    "meanInputProbability",
    "therapistTalkShare",
    "therapistTurnLength",
  ],
  // Understanding the client's perspective: reflections, deep ones, and room to speak.
  empathy: ["meanReflectionProbability", "reflectionRate", "complexShare", "therapistTurnLength", "nonAdherentRate"],
};

export interface GlobalsModel {
  /** Standardisation of each session measure, from the training sessions. */
  readonly means: Record<SessionFeature, number>;
  readonly scales: Record<SessionFeature, number>;
  readonly coefficients: Record<GlobalName, { readonly intercept: number; readonly weights: readonly number[] }>;
}

const L2 = 1;

function standardise(
  measures: SessionMeasures,
  model: Pick<GlobalsModel, "means" | "scales">,
  features: readonly SessionFeature[],
): number[] {
  return features.map((feature) => (measures[feature] - model.means[feature]) / model.scales[feature]);
}

/** Fits each global's logistic model to sessions' measures and their high/low quality label. */
export function fitGlobals(
  sessions: readonly { readonly measures: SessionMeasures; readonly high: boolean }[],
): GlobalsModel {
  const means = {} as Record<SessionFeature, number>;
  const scales = {} as Record<SessionFeature, number>;
  for (const feature of SESSION_FEATURES) {
    const values = sessions.map((session) => session.measures[feature]);
    const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length - 1);
    means[feature] = mean;
    scales[feature] = Math.sqrt(variance) || 1;
  }
  const positives = sessions.filter((session) => session.high).length;
  const negatives = sessions.length - positives;
  // Balanced classes: a session the measures cannot place lands at p = 0.5, a rating of 3.
  const weightOf = (high: boolean) => (high ? 0.5 / Math.max(1, positives) : 0.5 / Math.max(1, negatives));

  const coefficients = {} as GlobalsModel["coefficients"];
  for (const name of GLOBAL_NAMES) {
    const inputs = GLOBAL_INPUTS[name];
    const rows = sessions.map((session) => ({
      x: standardise(session.measures, { means, scales }, inputs),
      y: session.high ? 1 : 0,
      w: weightOf(session.high),
    }));
    const solution = minimizeLbfgs(
      (theta, gradient) => {
        gradient.fill(0);
        let loss = 0;
        for (const row of rows) {
          let z = theta[0] ?? 0;
          row.x.forEach((value, j) => {
            z += value * (theta[j + 1] ?? 0);
          });
          const p = 1 / (1 + Math.exp(-z));
          loss -= row.w * (row.y * Math.log(Math.max(p, 1e-12)) + (1 - row.y) * Math.log(Math.max(1 - p, 1e-12)));
          const error = row.w * (p - row.y);
          gradient[0] = (gradient[0] ?? 0) + error;
          row.x.forEach((value, j) => {
            gradient[j + 1] = (gradient[j + 1] ?? 0) + error * value;
          });
        }
        // The intercept is not penalised.
        for (let j = 1; j < theta.length; j += 1) {
          loss += (0.5 * L2 * (theta[j] ?? 0) ** 2) / rows.length;
          gradient[j] = (gradient[j] ?? 0) + (L2 * (theta[j] ?? 0)) / rows.length;
        }
        return loss;
      },
      new Float64Array(inputs.length + 1),
      { maxIterations: 200, memory: 5, tolerance: 1e-8 },
    );
    coefficients[name] = { intercept: round(solution[0] ?? 0), weights: Array.from(solution.slice(1), round) };
  }
  return {
    means: mapValues(means, round),
    scales: mapValues(scales, round),
    coefficients,
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function mapValues<T extends string>(record: Record<T, number>, f: (value: number) => number): Record<T, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value as number)])) as Record<
    T,
    number
  >;
}

/** The four estimated globals of a session, each on 1-5, rounded to one decimal. */
export function estimateGlobals(model: GlobalsModel, measures: SessionMeasures): GlobalRatings {
  const ratings = {} as GlobalRatings;
  for (const name of GLOBAL_NAMES) {
    const { intercept, weights } = model.coefficients[name];
    const x = standardise(measures, model, GLOBAL_INPUTS[name]);
    const z = x.reduce((sum, value, j) => sum + value * (weights[j] ?? 0), intercept);
    ratings[name] = Math.round((1 + 4 / (1 + Math.exp(-z))) * 10) / 10;
  }
  return ratings;
}
