import { z } from "zod";
import { id, measure, timestamp } from "../primitives.ts";

/**
 * One score with the scale it was given on. Services differ (a readiness ruler on 0-10 or
 * 1-10), so the scale travels with every value; when it is left out, the instrument's usual
 * scale applies, and the parsed score always carries it.
 */
function score(defaultMin: number, defaultMax: number) {
  return z
    .object({
      value: measure("must be a number"),
      min: measure("must be a number").optional(),
      max: measure("must be a number").optional(),
    })
    .superRefine((given, ctx) => {
      const min = given.min ?? defaultMin;
      const max = given.max ?? defaultMax;
      if (min >= max) {
        ctx.addIssue({ code: "custom", path: ["max"], message: `must be greater than min (${min})` });
      } else if (given.value < min || given.value > max) {
        ctx.addIssue({ code: "custom", path: ["value"], message: `must be within the scale ${min}-${max}` });
      }
    })
    .transform((given) => ({ value: given.value, min: given.min ?? defaultMin, max: given.max ?? defaultMax }))
    .describe(`{ value, min?, max? }; the scale defaults to ${defaultMin}-${defaultMax}.`);
}

/** Default scales per instrument and item (see ../shared docs: mi-domain.md section 4). */
export const INSTRUMENT_SCALES = {
  "readiness-ruler": { importance: [0, 10], confidence: [0, 10], readiness: [0, 10] },
  // URICA subscale means (items are rated 1-5).
  urica: { precontemplation: [1, 5], contemplation: [1, 5], action: [1, 5], maintenance: [1, 5] },
  // SOCRATES 8 subscale totals.
  socrates: { recognition: [7, 35], ambivalence: [4, 20], takingSteps: [8, 40] },
} as const satisfies Record<string, Record<string, readonly [number, number]>>;

export type Instrument = keyof typeof INSTRUMENT_SCALES;
export const INSTRUMENTS = Object.keys(INSTRUMENT_SCALES) as Instrument[];

function scoresOf<I extends Instrument>(instrument: I) {
  const items = INSTRUMENT_SCALES[instrument] as Record<string, readonly [number, number]>;
  const shape = Object.fromEntries(Object.entries(items).map(([item, [min, max]]) => [item, score(min, max)]));
  return z.object(shape as { [K in keyof (typeof INSTRUMENT_SCALES)[I]]: ReturnType<typeof score> });
}

const common = {
  clientId: id,
  programmeId: id,
  measuredAt: timestamp,
  sessionId: id.optional().describe("The session the measure was taken in, if any."),
};

/** evoke.readiness.measured: a readiness measure, with per-instrument scores. */
export const readinessMeasured = z.discriminatedUnion(
  "instrument",
  [
    z.object({ ...common, instrument: z.literal("readiness-ruler"), scores: scoresOf("readiness-ruler") }),
    z.object({ ...common, instrument: z.literal("urica"), scores: scoresOf("urica") }),
    z.object({ ...common, instrument: z.literal("socrates"), scores: scoresOf("socrates") }),
  ],
  {
    error: (issue) => {
      const given = (issue.input as { instrument?: unknown } | undefined)?.instrument;
      return `${given === undefined ? "is required: " : "must be "}one of ${INSTRUMENTS.join(", ")}`;
    },
  },
);
