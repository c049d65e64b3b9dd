import { createHash, randomBytes } from "node:crypto";
import type { Principal } from "./principal.ts";

/*
 * Browser sessions after signing in with a token. The cookie holds a random id; the server
 * keeps only its hash, so a leaked memory dump or log cannot be replayed as a cookie. Sessions
 * live in memory: a restart signs everyone out, which is the safe failure.
 */

export const SESSION_COOKIE = "evoke_session";
const DEFAULT_LIFETIME_MS = 8 * 60 * 60 * 1000;

interface StoredSession {
  readonly principal: Principal;
  readonly expiresAt: number;
}

const hash = (id: string) => createHash("sha256").update(id).digest("base64url");

export class SessionStore {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #lifetimeMs: number;
  readonly #now: () => number;

  constructor(options: { lifetimeMs?: number; now?: () => number } = {}) {
    this.#lifetimeMs = options.lifetimeMs ?? DEFAULT_LIFETIME_MS;
    this.#now = options.now ?? Date.now;
  }

  get lifetimeSeconds(): number {
    return Math.floor(this.#lifetimeMs / 1000);
  }

  /** Starts a session and returns the id for the cookie. */
  open(principal: Principal): string {
    this.#sweep();
    const id = randomBytes(32).toString("base64url");
    this.#sessions.set(hash(id), { principal, expiresAt: this.#now() + this.#lifetimeMs });
    return id;
  }

  find(id: string | undefined): Principal | null {
    if (id === undefined || id === "") return null;
    const key = hash(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return null;
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(key);
      return null;
    }
    return session.principal;
  }

  close(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(hash(id));
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(key);
  }
}
