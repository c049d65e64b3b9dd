import { createHash, timingSafeEqual } from "node:crypto";
import type { ApiKey } from "@evoke/config";

/*
 * Bearer-key authentication. Secrets are compared as SHA-256 digests with timingSafeEqual, so
 * neither the comparison time nor the secrets' lengths reveal anything, and every key is
 * checked (no early exit) so timing does not reveal which one matched.
 */

interface StoredKey {
  readonly name: string;
  readonly digest: Buffer;
}

export type Authentication =
  | { readonly ok: true; readonly keyName: string }
  | { readonly ok: false; readonly reason: string };

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

export function createAuthenticator(keys: readonly ApiKey[]): (authorization: string | undefined) => Authentication {
  const stored: StoredKey[] = keys.map((key) => ({ name: key.name, digest: digest(key.secret.reveal()) }));
  return (authorization) => {
    if (authorization === undefined || authorization.trim() === "") {
      return { ok: false, reason: "The request has no Authorization header: send Authorization: Bearer <secret>." };
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) {
      return { ok: false, reason: "The Authorization header must be of the form: Bearer <secret>." };
    }
    const presented = digest(match[1] ?? "");
    let keyName: string | undefined;
    for (const key of stored) {
      if (timingSafeEqual(presented, key.digest)) keyName ??= key.name;
    }
    return keyName === undefined ? { ok: false, reason: "The API key is not valid." } : { ok: true, keyName };
  };
}
