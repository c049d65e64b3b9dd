/**
 * A token bucket per API key, counting events (not requests): a 1,000-event batch costs 1,000.
 * The bucket holds one second of the rate, and never less than `minimumBurst`, so a maximal
 * batch can always pass eventually.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #capacity: number;
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();
  readonly #now: () => number;

  constructor(perSecond: number, minimumBurst: number, now: () => number = () => performance.now()) {
    this.#perSecond = perSecond;
    this.#capacity = Math.max(perSecond, minimumBurst);
    this.#now = now;
  }

  get enabled(): boolean {
    return this.#perSecond > 0;
  }

  #bucket(key: string) {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, updatedAt: now };
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#perSecond);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    return bucket;
  }

  /** Takes `events` tokens and returns 0, or takes none and returns the seconds to wait. */
  take(key: string, events: number): number {
    if (!this.enabled) return 0;
    const bucket = this.#bucket(key);
    if (bucket.tokens >= events) {
      bucket.tokens -= events;
      return 0;
    }
    return Math.max(1, Math.ceil((events - bucket.tokens) / this.#perSecond));
  }

  /** Waits until `events` tokens are available, then takes them (for streams, which slow down instead). */
  async takeWhenAvailable(key: string, events: number): Promise<void> {
    for (;;) {
      const wait = this.take(key, Math.min(events, this.#capacity));
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait * 1000, 1000)));
    }
  }
}
