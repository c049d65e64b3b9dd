import type { OidcConfig } from "@evoke/config";
import * as client from "openid-client";

/*
 * Signing in with the organisation's identity provider: OpenID Connect authorisation code with
 * PKCE (S256), state and nonce. The provider's metadata is discovered on first use, not at
 * start-up, so a provider that is down does not keep the dashboard (and its token users) down.
 * Plain-http issuers are accepted only on loopback (a provider in a test, on this machine).
 */

/** What the browser carries between leaving for the provider and coming back (an HttpOnly cookie). */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly next: string;
}

export interface CompletedSignIn {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly idToken: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export class OidcSignIn {
  readonly config: OidcConfig;
  #discovered: Promise<client.Configuration> | null = null;

  constructor(config: OidcConfig) {
    this.config = config;
  }

  #configuration(): Promise<client.Configuration> {
    const insecure = this.config.issuer.protocol === "http:" && LOOPBACK.has(this.config.issuer.hostname);
    this.#discovered ??= client
      .discovery(
        this.config.issuer,
        this.config.clientId,
        undefined,
        client.ClientSecretPost(this.config.clientSecret.reveal()),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // Try again on the next sign-in rather than remembering the failure.
        this.#discovered = null;
        throw error;
      });
    return this.#discovered;
  }

  /** The provider's authorisation URL, and what to keep until the browser returns. */
  async start(next: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const configuration = await this.#configuration();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUrl.href,
      scope: "openid profile",
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** Exchanges the code the browser brought back; throws when any check fails. */
  async finish(callbackUrl: URL, pending: PendingSignIn): Promise<CompletedSignIn> {
    const configuration = await this.#configuration();
    // The callback as registered (behind a proxy the request's own URL may be http://internal…).
    const current = new URL(this.config.redirectUrl);
    current.search = callbackUrl.search;
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (claims === undefined || tokens.id_token === undefined) throw new Error("no id token");
    return { claims: { ...claims }, idToken: tokens.id_token };
  }

  /** Where to send the browser to end the provider's session too; null when it has no end_session_endpoint. */
  async endSessionUrl(idToken: string | null): Promise<URL | null> {
    const configuration = await this.#configuration();
    if (configuration.serverMetadata().end_session_endpoint === undefined) return null;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: new URL("/sign-in", this.config.redirectUrl).href,
      ...(idToken === null ? {} : { id_token_hint: idToken }),
    });
  }
}

/** The pending sign-in from its cookie, or null if it is missing or malformed. */
export function readPending(raw: string | undefined): PendingSignIn | null {
  if (raw === undefined) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Record<string, unknown>;
    const { state, nonce, verifier, next } = value;
    if ([state, nonce, verifier, next].every((field) => typeof field === "string")) {
      return { state, nonce, verifier, next } as PendingSignIn;
    }
  } catch {}
  return null;
}

export function writePending(pending: PendingSignIn): string {
  return Buffer.from(JSON.stringify(pending), "utf8").toString("base64url");
}
