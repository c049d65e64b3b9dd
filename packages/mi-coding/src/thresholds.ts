/*
 * Fair and good thresholds for the MITI 4.2.1 summary scores. The manual's (section I) are
 * "expert opinion, no normative data", so they are configurable; a preset follows Lyssn's MITI
 * metrics guide, which sets Technical fair at 3.5.
 */

export interface Threshold {
  readonly fair: number;
  readonly good: number;
}

export interface Thresholds {
  readonly technical: Threshold;
  readonly relational: Threshold;
  readonly percentComplexReflections: Threshold;
  readonly reflectionToQuestion: Threshold;
}

export const THRESHOLD_PRESETS = {
  manual: {
    technical: { fair: 3.0, good: 4.0 },
    relational: { fair: 3.5, good: 4.0 },
    percentComplexReflections: { fair: 0.4, good: 0.5 },
    reflectionToQuestion: { fair: 1.0, good: 2.0 },
  },
  lyssn: {
    technical: { fair: 3.5, good: 4.0 },
    relational: { fair: 3.5, good: 4.0 },
    percentComplexReflections: { fair: 0.4, good: 0.5 },
    reflectionToQuestion: { fair: 1.0, good: 2.0 },
  },
} as const satisfies Record<string, Thresholds>;

export type ThresholdPreset = keyof typeof THRESHOLD_PRESETS;

/** "good" ≥ good, "fair" ≥ fair, else "below fair"; "not scored" when the score is undefined. */
export type Verdict = "good" | "fair" | "below fair" | "not scored";

export function verdict(value: number | null, threshold: Threshold): Verdict {
  if (value === null) return "not scored";
  if (value >= threshold.good) return "good";
  if (value >= threshold.fair) return "fair";
  return "below fair";
}
