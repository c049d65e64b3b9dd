import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type CertificateFiles, createCertificateAuthority, openssl, signCertificate } from "../tls/certificates.ts";

/*
 * A private CA and a certificate for the local broker (127.0.0.1 and localhost), made with
 * openssl the first time a secured listener starts in a directory and kept there, so clients
 * given the CA file keep trusting restarts. Nothing here is meant to leave the machine.
 */

export interface BrokerTlsMaterial {
  /** PEM of the CA: what clients pass as KAFKA_SSL_CA_FILE. */
  readonly caFile: string;
  /** PKCS12 keystore with the broker's key and certificate chain. */
  readonly keystoreFile: string;
  readonly keystorePassword: string;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The CA and the broker's keystore in `dir`, made now if they are not there yet. */
export async function ensureBrokerTlsMaterial(dir: string): Promise<BrokerTlsMaterial> {
  const material = {
    caFile: join(dir, "ca.pem"),
    keystoreFile: join(dir, "broker.p12"),
  };
  const passwordFile = join(dir, "keystore-password");
  if (await exists(material.keystoreFile)) {
    return { ...material, keystorePassword: (await readFile(passwordFile, "utf8")).trim() };
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keystorePassword = randomBytes(18).toString("base64url");
  const ca = await createCertificateAuthority(dir, "ca", { commonName: "Evoke local Kafka CA", days: 3650 });
  // Node checks that the certificate names the host it dialled: both spellings of this machine.
  await signCertificate(dir, ca, {
    name: "broker",
    commonName: "localhost",
    extensions: [
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "basicConstraints=CA:FALSE",
      "extendedKeyUsage=serverAuth",
    ],
    days: 825,
  });
  await writeFile(passwordFile, `${keystorePassword}\n`, { mode: 0o600 });
  await openssl(
    [
      "pkcs12",
      "-export",
      "-in",
      "broker.pem",
      "-inkey",
      "broker.key",
      "-certfile",
      "ca.pem",
      "-name",
      "broker",
      "-out",
      "broker.p12",
      "-passout",
      `pass:${keystorePassword}`,
    ],
    dir,
  );
  return { ...material, keystorePassword };
}

/** The CA ensureBrokerTlsMaterial made in `dir`. */
const caOf = (dir: string) => ({ certFile: join(dir, "ca.pem"), keyFile: join(dir, "ca.key") });

export type ClientCertificate = CertificateFiles;

/**
 * A client certificate for `name`, signed by the CA of `dir` (made by ensureBrokerTlsMaterial),
 * for a listener that requires mTLS: PEM files, what clients pass as KAFKA_SSL_CERT_FILE and
 * KAFKA_SSL_KEY_FILE.
 */
export async function issueClientCertificate(dir: string, name: string): Promise<ClientCertificate> {
  const certificate = { certFile: join(dir, `client-${name}.pem`), keyFile: join(dir, `client-${name}.key`) };
  if (await exists(certificate.certFile)) return certificate;
  return signCertificate(dir, caOf(dir), {
    name: `client-${name}`,
    commonName: name,
    extensions: ["basicConstraints=CA:FALSE", "extendedKeyUsage=clientAuth"],
    days: 825,
  });
}
