export { type IccInterpretation, icc21, iccInterpretation } from "./agreement.ts";
export {
  type PChart,
  type PChartOptions,
  type PChartPoint,
  pChart,
  type RunChart,
  runChart,
  SHIFT_LENGTH,
  type Signal,
  type SignalRule,
  specialCauses,
  TREND_LENGTH,
  type XmrChart,
  xmrChart,
} from "./control-charts.ts";
export { mean, median, quantile, standardDeviation, variance } from "./descriptive.ts";
export { type MeanInterval, meanInterval, type ProportionInterval, wilsonInterval } from "./intervals.ts";
export {
  type BandPoint,
  type Coefficient,
  type Correlation,
  type LinearRegression,
  linearRegression,
  type MultipleRegression,
  multipleRegression,
  pearsonCorrelation,
} from "./regression.ts";
export {
  type KaplanMeierCurve,
  type KaplanMeierPoint,
  kaplanMeier,
  type LogRankTest,
  logRankTest,
  type SurvivalObservation,
  survivalAt,
} from "./survival.ts";
export {
  type MannWhitneyU,
  mannWhitneyU,
  type ProportionDifference,
  proportionDifference,
  type WelchTTest,
  welchTTest,
} from "./tests.ts";
