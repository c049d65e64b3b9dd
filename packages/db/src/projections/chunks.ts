/** Postgres takes at most 65,535 parameters per statement: split multi-row writes to stay under. */
const MAX_PARAMETERS = 60_000;

export async function inChunks<Row extends object>(
  rows: readonly Row[],
  write: (chunk: Row[]) => Promise<unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Math.max(1, Object.keys(rows[0] as object).length);
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  for (let start = 0; start < rows.length; start += size) await write(rows.slice(start, start + size));
}

/** The distinct values of `key` over `items`, in first-seen order. */
export function distinct<T, K>(items: readonly T[], key: (item: T) => K | undefined): K[] {
  const seen = new Set<K>();
  for (const item of items) {
    const value = key(item);
    if (value !== undefined) seen.add(value);
  }
  return [...seen];
}
