import { execFile } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { InfraError } from "../errors.ts";

/*
 * A private CA and certificates it signs, made with the machine's openssl: the local broker's
 * SASL_SSL listener uses them, and the tests that prove TLS to Kafka and PostgreSQL. Files are
 * PEM, named after what they are for; keys are readable by their owner only.
 */

const execFileAsync = promisify(execFile);

export interface CertificateFiles {
  /** PEM certificate. */
  readonly certFile: string;
  /** PEM private key, unencrypted. */
  readonly keyFile: string;
}

export async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync("openssl", [...args], { cwd });
  } catch (error) {
    const failure = error as { stderr?: string; code?: unknown };
    throw new InfraError(
      `Making TLS certificates failed: openssl ${args[0]}: ${(failure.stderr ?? String(error)).trim().split("\n").at(-1)}`,
      failure.code === "ENOENT"
        ? "Install openssl (Debian: apt-get install openssl)."
        : `Delete ${cwd} and start again.`,
      { cause: error },
    );
  }
}

/** A self-signed CA in `dir`: `<name>.pem` and `<name>.key`. */
export async function createCertificateAuthority(
  dir: string,
  name: string,
  options: { readonly commonName?: string; readonly days: number },
): Promise<CertificateFiles> {
  const files = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  await openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", String(options.days)]
      .concat(["-subj", `/CN=${options.commonName ?? name}`, "-keyout", files.keyFile, "-out", files.certFile])
      .concat(["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
    dir,
  );
  await chmod(files.keyFile, 0o600);
  return files;
}

/**
 * A certificate for `commonName` signed by `ca`, in `dir` as `<name>.pem` and `<name>.key`;
 * `extensions` are openssl extension lines (subjectAltName=…, extendedKeyUsage=…).
 */
export async function signCertificate(
  dir: string,
  ca: CertificateFiles,
  options: {
    readonly name: string;
    readonly commonName: string;
    readonly extensions: readonly string[];
    readonly days: number;
  },
): Promise<CertificateFiles> {
  const { name } = options;
  const files = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  const request = join(dir, `${name}.csr`);
  const extensionFile = join(dir, `${name}.ext`);
  await openssl(
    ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${options.commonName}`].concat([
      "-keyout",
      files.keyFile,
      "-out",
      request,
    ]),
    dir,
  );
  await chmod(files.keyFile, 0o600);
  await writeFile(extensionFile, `${options.extensions.join("\n")}\n`);
  await openssl(
    ["x509", "-req", "-in", request, "-CA", ca.certFile, "-CAkey", ca.keyFile, "-CAcreateserial"].concat([
      "-days",
      String(options.days),
      "-extfile",
      extensionFile,
      "-out",
      files.certFile,
    ]),
    dir,
  );
  return files;
}
