/*
 * A short-lived cache of analytics answers, per endpoint, query and reader scope. Organisation-
 * wide analytics scan a million sessions; a director moving between pages or a QI analyst
 * toggling a chart asks the same questions again within seconds. The pipeline is eventually
 * consistent anyway (coding and aggregation run behind ingest), so an answer up to `ttlMs` old
 * is as current as the dashboard can promise. Writes through the dashboard (annotations) clear
 * it; events do not, which bounds the staleness at `ttlMs`.
 */

interface Entry {
  readonly expiresAt: number;
  readonly value: Promise<unknown>;
}

export class AnswerCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 256;
    this.#now = options.now ?? Date.now;
  }

  /** The cached answer for `key`, or `compute`'s (shared by concurrent callers; failures are not kept). */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#ttlMs <= 0) return compute();
    const now = this.#now();
    const found = this.#entries.get(key);
    if (found !== undefined && found.expiresAt > now) {
      // Map order is insertion order: re-inserting makes it the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found.value as Promise<T>;
    }
    const value = compute();
    this.#entries.set(key, { expiresAt: now + this.#ttlMs, value });
    value.catch(() => this.#entries.delete(key));
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}
