import type { Mean, Share } from "@evoke/analytics";

/** Numbers as the pages print them: a share as 62% (55–68%), a mean as 3.4 (3.1–3.7). */

export const percent = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? "–" : `${(100 * value).toFixed(digits)}%`;

export const decimal = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);

export function shareText(share: Share | null | undefined): string {
  if (share === null || share === undefined || share.share === null) return "no data";
  return `${percent(share.share)} (95% CI ${percent(share.lower)}–${percent(share.upper)}; n = ${share.of})`;
}

export function meanText(mean: Mean | null | undefined, digits = 2): string {
  if (mean === null || mean === undefined || mean.mean === null) return "no data";
  const interval =
    mean.lower === null ? "" : ` (95% CI ${decimal(mean.lower, digits)} to ${decimal(mean.upper, digits)})`;
  return `${decimal(mean.mean, digits)}${interval}; n = ${mean.n}`;
}

export function pValueText(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  return p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`;
}

/**
 * A score cut (not rounded) to `digits` decimals, so that a printed score never crosses the
 * threshold its verdict is judged on: 3.96 prints as 3.9 beside "fair", not 4.0 beside "fair".
 */
export function truncatedDecimal(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const scale = 10 ** digits;
  // The small nudge keeps 2.3 (2.2999999999999998 × 10 in floating point) at 2.3.
  return (Math.floor(value * scale + 1e-9) / scale).toFixed(digits);
}
