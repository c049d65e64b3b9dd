/** Page addresses that keep the filter bar's state (and any other parameters given). */

export type Params = Readonly<Record<string, string | undefined>>;

export function href(path: string, params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== "") search.set(key, value);
  const query = search.toString();
  return query === "" ? path : `${path}?${query}`;
}

export const FILTER_KEYS = ["programme", "therapist", "from", "to"] as const;

export function filtersOf(params: Params): Params {
  return Object.fromEntries(FILTER_KEYS.map((key) => [key, params[key]]));
}
