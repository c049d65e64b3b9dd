/**
 * A seeded random stream (mulberry32) with the draws the generator needs. Not for anything
 * secret. Each client gets its own stream (`streamFor`), so a client's history does not change
 * when the clinic is generated with more or fewer clients.
 */
export interface Random {
  /** Uniform on [0, 1). */
  readonly next: () => number;
  /** Uniform on [min, max). */
  readonly between: (min: number, max: number) => number;
  /** A whole number from min to max, both included. */
  readonly int: (min: number, max: number) => number;
  readonly chance: (probability: number) => boolean;
  /** Normal(mean, sd), by Box-Muller. */
  readonly normal: (mean: number, sd: number) => number;
  readonly pick: <T>(items: readonly T[]) => T;
  /** A key drawn with probability proportional to its (non-negative) weight. */
  readonly weighted: <K extends string>(weights: Readonly<Record<K, number>>) => K;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(next() * items.length)] as T;
  };
  return {
    next,
    between: (min, max) => min + next() * (max - min),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    normal: (mean, sd) => {
      const u = 1 - next(); // (0, 1]: log(0) is not a number
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    pick,
    weighted: <K extends string>(weights: Readonly<Record<K, number>>): K => {
      const entries = Object.entries(weights) as [K, number][];
      const total = entries.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0);
      let target = next() * total;
      for (const [key, weight] of entries) {
        target -= Math.max(0, weight);
        if (target < 0) return key;
      }
      // Only reached through rounding at the very top of the range.
      return (entries.at(-1) as [K, number])[0];
    },
  };
}

/** A stream of its own for one part of the clinic (a client, a therapist), derived from the seed. */
export function streamFor(seed: number, part: number): Random {
  // Mix the two numbers so that neighbouring seeds and parts give unrelated streams.
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(part + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return seededRandom((h ^ (h >>> 16)) >>> 0);
}
