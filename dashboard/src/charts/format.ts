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
