import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError } from "../errors.ts";

const execFileAsync = promisify(execFile);

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

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync("openssl", [...args], { cwd });
  } catch (error) {
    const failure = error as { stderr?: string; code?: unknown };
    throw new InfraError(
      `Making the local broker's TLS certificates failed: openssl ${args[0]}: ${(failure.stderr ?? String(error)).trim().split("\n").at(-1)}`,
      failure.code === "ENOENT"
        ? "Install openssl (Debian: apt-get install openssl)."
        : `Delete ${cwd} and start again.`,
      { cause: error },
    );
  }
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
  await openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "3650",
      "-subj",
      "/CN=Evoke local Kafka CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  await openssl(
    [
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "broker.key",
      "-out",
      "broker.csr",
      "-subj",
      "/CN=localhost",
    ],
    dir,
  );
  // Node checks that the certificate names the host it dialled: both spellings of this machine.
  await writeFile(
    join(dir, "broker.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "broker.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "broker.pem",
      "-days",
      "825",
      "-extfile",
      "broker.ext",
    ],
    dir,
  );
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

export interface ClientCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * A client certificate for `name`, signed by the CA of `dir` (made by ensureBrokerTlsMaterial),
 * for a listener that requires mTLS: PEM files, what clients pass as KAFKA_SSL_CERT_FILE and
 * KAFKA_SSL_KEY_FILE.
 */
export async function issueClientCertificate(dir: string, name: string): Promise<ClientCertificate> {
  const certificate = { certFile: join(dir, `client-${name}.pem`), keyFile: join(dir, `client-${name}.key`) };
  if (await exists(certificate.certFile)) return certificate;
  await openssl(
    [
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `client-${name}.key`,
      "-out",
      `client-${name}.csr`,
      "-subj",
      `/CN=${name}`,
    ],
    dir,
  );
  await writeFile(join(dir, "client.ext"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      `client-${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `client-${name}.pem`,
      "-days",
      "825",
      "-extfile",
      "client.ext",
    ],
    dir,
  );
  return certificate;
}
