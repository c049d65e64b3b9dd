export {
  type IccInterpretation,
  type IccInterval,
  icc21,
  icc21FromPairSums,
  icc21IntervalFromPairSums,
  iccInterpretation,
  type PairSums,
} from "./agreement.ts";
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
export {
  type GroupSummary,
  type MeanInterval,
  meanInterval,
  meanIntervalFromSummary,
  type ProportionInterval,
  wilsonInterval,
} from "./intervals.ts";
export {
  type BandPoint,
  type BivariateMoments,
  bivariateMoments,
  type Coefficient,
  type Correlation,
  type CrossProducts,
  type LinearRegression,
  linearRegression,
  linearRegressionFromMoments,
  type MultipleRegression,
  multipleRegression,
  multipleRegressionFromCrossProducts,
  pearsonCorrelation,
  pearsonCorrelationFromMoments,
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
  type FrequencyRow,
  type MannWhitneyU,
  mannWhitneyU,
  mannWhitneyUFromFrequencies,
  type ProportionDifference,
  proportionDifference,
  type WelchTTest,
  welchTTest,
  welchTTestFromSummaries,
} from "./tests.ts";
