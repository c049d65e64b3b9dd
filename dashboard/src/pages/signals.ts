import type { QiSeries } from "@evoke/analytics";

const RULES: Record<string, string> = {
  "beyond-limits": "a point beyond the control limits",
  shift: "a shift: a run of points on one side of the centre line",
  trend: "a trend: a run of points steadily rising or falling",
  crossings: "too few or too many crossings of the centre line",
};

/** Special-cause signals in words, with the periods they cover. */
export function describeSignals(series: QiSeries, measure: string): string[] {
  return series.signals.map((signal) => {
    const first = series.points[signal.indices[0] ?? 0]?.period ?? "?";
    const last = series.points[signal.indices.at(-1) ?? 0]?.period ?? "?";
    const span = first === last ? first : `${first} to ${last}`;
    return `${measure}: ${RULES[signal.rule] ?? signal.rule} (${span})`;
  });
}
