import { chown } from "node:fs/promises";
import { type CertificateFiles, createCertificateAuthority as createCa, signCertificate } from "@evoke/infra";

/*
 * Certificates for the PostgreSQL TLS tests, made with infra's openssl helpers (the ones the
 * local broker's secured listener uses), valid for two days.
 */

const DAYS = 2;

export type CertificateAuthority = CertificateFiles;
export type Certificate = CertificateFiles;

/** A self-signed CA made with openssl in `dir`, its files named after `name`. */
export function createCertificateAuthority(dir: string, name: string): Promise<CertificateAuthority> {
  return createCa(dir, name, { days: DAYS });
}

/**
 * A server certificate signed by `ca` for `dnsNames` only (no IP addresses, so that
 * verify-full against 127.0.0.1 fails). When `owner` is given (PostgreSQL running as another
 * user), the key is handed to it: PostgreSQL refuses a key others can read, or it cannot.
 */
export async function createServerCertificate(
  dir: string,
  ca: CertificateAuthority,
  dnsNames: readonly string[],
  owner?: { readonly uid: number; readonly gid: number },
): Promise<Certificate> {
  const certificate = await signCertificate(dir, ca, {
    name: "server",
    commonName: dnsNames[0] ?? "localhost",
    extensions: [`subjectAltName=${dnsNames.map((name) => `DNS:${name}`).join(",")}`],
    days: DAYS,
  });
  if (owner !== undefined) await chown(certificate.keyFile, owner.uid, owner.gid);
  return certificate;
}

/** A client certificate signed by `ca` for the database user `user` (its common name). */
export function createClientCertificate(dir: string, ca: CertificateAuthority, user: string): Promise<Certificate> {
  return signCertificate(dir, ca, {
    name: `client-${user}`,
    commonName: user,
    extensions: ["extendedKeyUsage=clientAuth"],
    days: DAYS,
  });
}
