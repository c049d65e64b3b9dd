import { MITI_GLOBAL_RATINGS } from "@evoke/events";
import { minimizeLbfgs } from "./lbfgs.ts";
import { SESSION_FEATURES, type SessionFeature, type SessionMeasures } from "./session-features.ts";

/*
 * Estimated MITI global ratings (1-5). AnnoMI has no global ratings, only an expert judgement of
 * each session as high- or low-quality MI, so each global is a logistic model of "this session
 * is high-quality MI" on the session measures that global is about, fitted with balanced
 * classes and mapped to the scale as 1 + 4p: an undecided session sits at 3, where a MITI coder
 * starts. These are estimates of where a session sits, not ratings a trained coder would give.
 *
 * Coder v2 makes the manual's anchors (mi-domain.md §2a) hold by construction rather than hope
 * the calibration learns them from 16 low-quality sessions:
 * - every input has a fixed direction (`GLOBAL_SIGNS`): the fit may weigh it, never reverse it
 *   (more reflections of change talk cannot lower Cultivating Change Talk);
 * - ceilings (`anchorCaps`) for what the anchors rule out: Confront and Persuade pull
 *   Partnership and Empathy down, to at most 2 when a fifth of the volleys are confrontational
 *   (a Persuade counting half); arguing back at sustain talk caps Softening Sustain Talk, at 2
 *   when half of the client's sustain talk is met with Confront or Persuade; the expert role
 *   (information and advice in at least a quarter of volleys, reflections in under a fifth, no
 *   Seek) caps Partnership at 2.5.
 * The ceilings are the product's reading of the anchors, stated here and in the README, and
 * tested (globals.test.ts).
 */

/** The four global ratings, named as the contract names them (evoke.fidelity.rated). */
export const GLOBAL_NAMES = MITI_GLOBAL_RATINGS;
export type GlobalName = (typeof GLOBAL_NAMES)[number];
export type GlobalRatings = Record<GlobalName, number>;

/** Coder v1's inputs (its model files do not list them). */
export const GLOBAL_INPUTS_V1: Record<GlobalName, readonly SessionFeature[]> = {
  cultivatingChangeTalk: [
    "changeShare",
    "meanChangeProbability",
    "reflectionToQuestion",
    "meanInputProbability",
    "informationRate",
  ],
  softeningSustainTalk: [
    "meanSustainProbability",
    "reflectionRate",
    "nonAdherentRate",
    "meanInputProbability",
    "complexShare",
  ],
  partnership: [
    "adherentRate",
    "reflectionToQuestion",
    "meanInputProbability",
    "therapistTalkShare",
    "therapistTurnLength",
  ],
  empathy: ["meanReflectionProbability", "reflectionRate", "complexShare", "therapistTurnLength", "nonAdherentRate"],
};

/**
 * Coder v2's inputs and the direction each must pull (+1 raises the global, -1 lowers it), from
 * the MITI 4.2.1 anchors for that global.
 */
export const GLOBAL_SIGNS: Record<GlobalName, Partial<Record<SessionFeature, 1 | -1>>> = {
  // Evoking and reinforcing the client's reasons for change, rather than supplying them.
  cultivatingChangeTalk: {
    changeReflectedShare: 1,
    changeShare: 1,
    meanChangeProbability: 1,
    reflectionToQuestion: 1,
    informationRate: -1,
    nonAdherentRate: -1,
  },
  // Not amplifying sustain talk: reflecting rather than arguing with it.
  softeningSustainTalk: {
    arguedSustainShare: -1,
    reflectionRate: 1,
    complexShare: 1,
    nonAdherentRate: -1,
    meanInputProbability: -1,
  },
  // Power sharing: collaboration over expertise, the client talking more than the clinician.
  partnership: {
    adherentRate: 1,
    reflectionToQuestion: 1,
    adviceInformationRate: -1,
    nonAdherentRate: -1,
    therapistTalkShare: -1,
  },
  // Understanding the client's perspective: reflections, deep ones, and no confrontation.
  empathy: {
    reflectionRate: 1,
    complexShare: 1,
    meanReflectionProbability: 1,
    confrontRate: -1,
    nonAdherentRate: -1,
    therapistTurnLength: -1,
  },
};

export interface GlobalsModel {
  /** Standardisation of each session measure, from the training sessions. */
  readonly means: Partial<Record<SessionFeature, number>>;
  readonly scales: Partial<Record<SessionFeature, number>>;
  readonly coefficients: Record<GlobalName, { readonly intercept: number; readonly weights: readonly number[] }>;
  /** Each global's inputs, in the order of its weights (absent in v1 files: GLOBAL_INPUTS_V1). */
  readonly inputs?: Record<GlobalName, readonly SessionFeature[]>;
  /** Whether the anchors' ceilings apply (coder v2). */
  readonly anchored?: boolean;
}

const L2 = 1;

function inputsOf(model: Pick<GlobalsModel, "inputs">, name: GlobalName): readonly SessionFeature[] {
  return model.inputs?.[name] ?? GLOBAL_INPUTS_V1[name];
}

function standardise(
  measures: SessionMeasures,
  model: Pick<GlobalsModel, "means" | "scales">,
  features: readonly SessionFeature[],
): number[] {
  return features.map((feature) => (measures[feature] - (model.means[feature] ?? 0)) / (model.scales[feature] ?? 1));
}

const softplus = (u: number) => (u > 20 ? u : Math.log1p(Math.exp(u)));
const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));

/**
 * Fits each global's logistic model to sessions' measures and their high/low quality label.
 * `signed` (coder v2) constrains each weight to its anchor's direction: w = sign · softplus(u).
 */
export function fitGlobals(
  sessions: readonly { readonly measures: SessionMeasures; readonly high: boolean }[],
  signed = true,
): GlobalsModel {
  const means = {} as Record<SessionFeature, number>;
  const scales = {} as Record<SessionFeature, number>;
  for (const feature of SESSION_FEATURES) {
    const values = sessions.map((session) => session.measures[feature]);
    const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length - 1);
    means[feature] = mean;
    // A measure that does not vary (up to rounding) is left unscaled rather than divided by ~0.
    const scale = Math.sqrt(variance);
    scales[feature] = scale < 1e-4 ? 1 : scale;
  }
  const positives = sessions.filter((session) => session.high).length;
  const negatives = sessions.length - positives;
  // Balanced classes: a session the measures cannot place lands at p = 0.5, a rating of 3.
  const weightOf = (high: boolean) => (high ? 0.5 / Math.max(1, positives) : 0.5 / Math.max(1, negatives));

  const coefficients = {} as GlobalsModel["coefficients"];
  const inputs = {} as Record<GlobalName, SessionFeature[]>;
  for (const name of GLOBAL_NAMES) {
    const features = signed ? (Object.keys(GLOBAL_SIGNS[name]) as SessionFeature[]) : [...GLOBAL_INPUTS_V1[name]];
    const signs = features.map((feature) => (signed ? (GLOBAL_SIGNS[name][feature] ?? 0) : 0));
    inputs[name] = features;
    const rows = sessions.map((session) => ({
      x: standardise(session.measures, { means, scales }, features),
      y: session.high ? 1 : 0,
      w: weightOf(session.high),
    }));
    // theta = [intercept, u_1..u_n]; weight j is u_j, or sign_j · softplus(u_j) when signed.
    const weightOfParameter = (u: number, j: number) => (signs[j] === 0 ? u : (signs[j] ?? 0) * softplus(u));
    const slopeOfParameter = (u: number, j: number) => (signs[j] === 0 ? 1 : (signs[j] ?? 0) * sigmoid(u));
    const solution = minimizeLbfgs(
      (theta, gradient) => {
        gradient.fill(0);
        const weights = features.map((_, j) => weightOfParameter(theta[j + 1] ?? 0, j));
        const weightGradient = new Float64Array(features.length);
        let loss = 0;
        for (const row of rows) {
          let z = theta[0] ?? 0;
          row.x.forEach((value, j) => {
            z += value * (weights[j] ?? 0);
          });
          const p = 1 / (1 + Math.exp(-z));
          loss -= row.w * (row.y * Math.log(Math.max(p, 1e-12)) + (1 - row.y) * Math.log(Math.max(1 - p, 1e-12)));
          const error = row.w * (p - row.y);
          gradient[0] = (gradient[0] ?? 0) + error;
          row.x.forEach((value, j) => {
            weightGradient[j] = (weightGradient[j] ?? 0) + error * value;
          });
        }
        // The intercept is not penalised.
        weights.forEach((weight, j) => {
          loss += (0.5 * L2 * weight ** 2) / rows.length;
          const total = (weightGradient[j] ?? 0) + (L2 * weight) / rows.length;
          gradient[j + 1] = total * slopeOfParameter(theta[j + 1] ?? 0, j);
        });
        return loss;
      },
      Float64Array.from({ length: features.length + 1 }, (_, j) => (j === 0 || signs[j - 1] === 0 ? 0 : -2)),
      { maxIterations: 300, memory: 5, tolerance: 1e-8 },
    );
    coefficients[name] = {
      intercept: round(solution[0] ?? 0),
      weights: features.map((_, j) => round(weightOfParameter(solution[j + 1] ?? 0, j))),
    };
  }
  return {
    means: mapValues(means, round),
    scales: mapValues(scales, round),
    coefficients,
    ...(signed ? { inputs, anchored: true } : {}),
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

/** What the anchors rule out: the highest each global may be for these measures (see top). */
export function anchorCaps(measures: SessionMeasures): GlobalRatings {
  const load = measures.confrontRate + 0.5 * (measures.nonAdherentRate - measures.confrontRate);
  const nonAdherentCap = 5 - 3 * Math.min(1, load / 0.2);
  const expertRole = measures.adviceInformationRate >= 0.25 && measures.reflectionRate < 0.2 && measures.seekRate === 0;
  // arguedSustainShare is smoothed toward 0.5 (session-features.ts): undo it to read the share.
  const turns = measures.sustainTurns;
  const argued = turns === 0 ? 0 : Math.max(0, (measures.arguedSustainShare * (turns + 1) - 0.5) / turns);
  const softeningCap = turns >= 2 ? 5 - 3 * Math.min(1, argued / 0.5) : 5;
  return {
    cultivatingChangeTalk: 5,
    softeningSustainTalk: softeningCap,
    partnership: Math.min(nonAdherentCap, expertRole ? 2.5 : 5),
    empathy: nonAdherentCap,
  };
}

/** The four estimated globals of a session, each on 1-5, rounded to one decimal. */
export function estimateGlobals(model: GlobalsModel, measures: SessionMeasures): GlobalRatings {
  const caps = model.anchored === true ? anchorCaps(measures) : undefined;
  const ratings = {} as GlobalRatings;
  for (const name of GLOBAL_NAMES) {
    const { intercept, weights } = model.coefficients[name];
    const x = standardise(measures, model, inputsOf(model, name));
    const z = x.reduce((sum, value, j) => sum + value * (weights[j] ?? 0), intercept);
    const estimate = 1 + 4 / (1 + Math.exp(-z));
    ratings[name] = Math.round(Math.min(estimate, caps?.[name] ?? 5) * 10) / 10;
  }
  return ratings;
}
