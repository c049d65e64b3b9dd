/*
 * The coder's sentence encoder remembers vectors by text, so a benchmark that repeats its lines
 * measures the cache rather than the coder. A line is made unique by a clause and a number:
 * the text stays dialogue-like and about as long, and no earlier vector fits it.
 */

const CLAUSES = [
  "at the weekend",
  "after work",
  "since the summer",
  "with my brother",
  "when the kids are in bed",
  "before the check-up",
  "on a bad day",
  "at my mum's",
];

/** `line` with a clause drawn by `random` and `number` added before its end mark. */
export function madeUnique(line: string, random: () => number, number: number): string {
  const clause = CLAUSES[Math.floor(random() * CLAUSES.length)] as string;
  return `${line.replace(/[.?!]$/, "")}, ${clause}, ${number} ${line.endsWith("?") ? "?" : "."}`;
}
