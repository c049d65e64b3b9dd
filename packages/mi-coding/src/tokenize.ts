/*
 * Text normalisation for the coder. Transcripts are speech: stutters ("I-I", "we-we"), fillers
 * ("um", "uh"), curly apostrophes, dashes for interruptions. Tokens are lower-case words with
 * their apostrophes, plus "?" which matters for questions.
 */

const FILLERS = new Set(["um", "uh", "er", "ah", "erm", "hmm", "mm", "mhm", "uh-huh", "mm-hmm"]);

/** Common function words: left out of content-word overlap (reflections echo content). */
const STOPWORDS = new Set(
  "a an the and or but so of to in on at for with from by about as is are was were be been being am i you he she it we they me him her us them my your his its our their this that these those there here what which who whom whose when where why how do does did doing have has had having will would can could should shall may might must not no yes yeah okay ok well just like really very too also then than if because into out up down over again some any all more most much many one know think mean get got go going gonna wanna kind sort thing things right sure oh um uh mm hmm i'm i've i'd i'll you're you've you'd you'll it's that's there's what's don't doesn't didn't can't won't isn't wasn't aren't let's".split(
    " ",
  ),
);

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replaceAll(/[‘’`´]/g, "'")
    .replaceAll(/[“”]/g, '"')
    .replaceAll(/[–—]/g, " - ");
}

/** Words and question marks, stutters collapsed ("i-i" → "i"). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalise(text).matchAll(/[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+(?:'[a-z]+)?)*|\?/g)) {
    const raw = match[0];
    if (raw === "?") {
      tokens.push("?");
      continue;
    }
    const parts = raw.split("-");
    // "i-i-i" and "we-we" are stutters; "mm-hmm" and "uh-huh" are words.
    if (parts.length > 1 && parts.every((part) => part === parts[0])) tokens.push(parts[0] as string);
    else if (FILLERS.has(raw)) tokens.push(raw);
    else tokens.push(...(parts.length > 1 && !FILLERS.has(raw) ? collapseRepeats(parts) : [raw]));
  }
  return tokens;
}

function collapseRepeats(parts: string[]): string[] {
  const out: string[] = [];
  for (const part of parts) if (part !== "" && out.at(-1) !== part) out.push(part);
  return out;
}

/** Words that carry meaning, for overlap between a reflection and what the client said. */
export function contentWords(tokens: readonly string[]): Set<string> {
  return new Set(
    tokens.filter((token) => token !== "?" && token.length > 2 && !STOPWORDS.has(token) && !FILLERS.has(token)),
  );
}

export function isFiller(token: string): boolean {
  return FILLERS.has(token);
}
