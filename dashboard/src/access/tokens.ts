import { createHash, timingSafeEqual } from "node:crypto";
import type { DashboardToken } from "@evoke/config";
import type { Principal } from "./principal.ts";

/*
 * Token authentication. Secrets are compared as SHA-256 digests with timingSafeEqual and every
 * token is checked (no early exit), so timing reveals neither the secrets nor which matched.
 */

export type TokenCheck = (secret: string) => Principal | null;

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

export function createTokenCheck(tokens: readonly DashboardToken[]): TokenCheck {
  const stored = tokens.map((token) => ({
    principal: { name: token.name, role: token.role, programmeIds: token.programmeIds } satisfies Principal,
    digest: digest(token.secret.reveal()),
  }));
  return (secret) => {
    const presented = digest(secret);
    let found: Principal | null = null;
    for (const token of stored) {
      if (timingSafeEqual(presented, token.digest)) found ??= token.principal;
    }
    return found;
  };
}

/** The secret of an `Authorization: Bearer <secret>` header; null if absent or another scheme. */
export function bearerSecret(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] ?? null;
}
