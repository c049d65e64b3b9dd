import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/*
 * A real OpenID provider in the test process: panva's certified oidc-provider, with its
 * in-memory adapter, one confidential client (the dashboard) and test users whose claims we
 * choose. Its development login and consent forms are filled in by the browser like any other
 * page (any password is accepted: the login names the account).
 */

export interface TestUser {
  readonly groups?: readonly string[];
  readonly evoke_programmes?: readonly string[];
  readonly preferred_username?: string;
}

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  stop(): Promise<void>;
}

export async function startTestProvider(options: {
  readonly users: Readonly<Record<string, TestUser>>;
  /** The dashboard's own origin, for its redirect and post-logout URIs. */
  readonly dashboardOrigin: string;
}): Promise<TestProvider> {
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503;
    response.end();
  };
  const server: Server = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "evoke-dashboard";
  const clientSecret = "test-client-secret-0123456789";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.dashboardOrigin}/sign-in/oidc/callback`],
        post_logout_redirect_uris: [`${options.dashboardOrigin}/sign-in`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], profile: ["preferred_username", "groups", "evoke_programmes"] },
    // Claims in the id token itself, as Entra ID and Keycloak send groups.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ["test-cookie-key-not-secret"] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    findAccount: async (_ctx, id) => {
      const user = options.users[id];
      if (user === undefined) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...user }) };
    },
  });
  handle = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
