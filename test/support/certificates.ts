import { execFile } from "node:child_process";
import { chmod, chown, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const openssl = (args: string[], cwd: string) => execFileAsync("openssl", args, { cwd });

export interface CertificateAuthority {
  /** PEM certificate, to trust (DATABASE_SSL_CA_FILE). */
  readonly certFile: string;
  readonly keyFile: string;
}

export interface Certificate {
  readonly certFile: string;
  readonly keyFile: string;
}

/** A self-signed CA made with openssl in `dir`, its files named after `name`. */
export async function createCertificateAuthority(dir: string, name: string): Promise<CertificateAuthority> {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  await openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name}`]
      .concat(["-keyout", keyFile, "-out", certFile])
      .concat(["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
    dir,
  );
  return { certFile, keyFile };
}

/** A certificate for `commonName` signed by `ca`, with `extension` (an openssl extension line). */
async function signedCertificate(
  dir: string,
  ca: CertificateAuthority,
  name: string,
  commonName: string,
  extension: string,
): Promise<Certificate> {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  const request = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  await openssl(
    ["req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${commonName}`, "-keyout", keyFile, "-out", request],
    dir,
  );
  await writeFile(extensions, `${extension}\n`);
  await openssl(
    ["x509", "-req", "-in", request, "-CA", ca.certFile, "-CAkey", ca.keyFile, "-CAcreateserial"].concat([
      "-days",
      "2",
      "-extfile",
      extensions,
      "-out",
      certFile,
    ]),
    dir,
  );
  await chmod(keyFile, 0o600);
  return { certFile, keyFile };
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
  const subjectAltName = dnsNames.map((name) => `DNS:${name}`).join(",");
  const certificate = await signedCertificate(
    dir,
    ca,
    "server",
    dnsNames[0] ?? "localhost",
    `subjectAltName=${subjectAltName}`,
  );
  if (owner !== undefined) await chown(certificate.keyFile, owner.uid, owner.gid);
  return certificate;
}

/** A client certificate signed by `ca` for the database user `user` (its common name). */
export function createClientCertificate(dir: string, ca: CertificateAuthority, user: string): Promise<Certificate> {
  return signedCertificate(dir, ca, `client-${user}`, user, "extendedKeyUsage=clientAuth");
}
