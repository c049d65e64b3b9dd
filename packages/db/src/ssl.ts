import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { type ConnectionOptions, checkServerIdentity } from "node:tls";

/*
 * How Evoke talks TLS to PostgreSQL, read from the connection URL the libpq way:
 * `?sslmode=disable|require|verify-ca|verify-full`, with `sslrootcert`, `sslcert` and `sslkey`
 * naming PEM files (packages/config puts DATABASE_SSL_CA_FILE, _CERT_FILE and _KEY_FILE there).
 * The URL is the one carrier so that every connection (services, dashboard, migrations, the CLI,
 * child processes handed DATABASE_URL, the test harness) honours the same settings.
 */

export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** The URL parameters this module owns; postgres.js would send them to the server as settings. */
const SSL_PARAMETERS = ["sslmode", "sslrootcert", "sslcert", "sslkey"] as const;

export interface DatabaseSsl {
  readonly mode: SslMode;
  /** PEM file of the CA(s) to trust instead of Node's built-in list. */
  readonly caFile?: string;
  /** Client certificate and its key, for servers that ask for one (`hostssl ... cert`). */
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface DatabaseTarget {
  /** The URL without the ssl parameters, as postgres.js should see it. */
  readonly url: string;
  /** The host name or address the URL names, which verify-full checks the certificate against. */
  readonly host: string;
  readonly port: number;
  readonly ssl: DatabaseSsl;
}

function isSslMode(value: string): value is SslMode {
  return (SSL_MODES as readonly string[]).includes(value);
}

/**
 * A CA given is meant to be used, not ignored: without a mode, verify fully; with require,
 * verify the chain, as libpq does when a root certificate is present.
 */
function effectiveMode(requested: SslMode | undefined, hasCa: boolean): SslMode {
  if (!hasCa) return requested ?? "disable";
  if (requested === undefined) return "verify-full";
  return requested === "require" ? "verify-ca" : requested;
}

/** Splits a connection URL into what postgres.js connects to and how TLS is to be used. */
export function databaseTarget(url: string): DatabaseTarget {
  const parsed = new URL(url);
  const param = (name: string) => parsed.searchParams.get(name) ?? undefined;
  const requested = param("sslmode");
  const caFile = param("sslrootcert");
  const certFile = param("sslcert");
  const keyFile = param("sslkey");

  // node-postgres's spelling. postgres.js would take it too, but our own `ssl` option wins over
  // it, so it would silently mean no TLS: refuse it instead.
  if (parsed.searchParams.has("ssl")) {
    throw new Error("DATABASE_URL: say sslmode=require, verify-ca or verify-full rather than ssl=...");
  }
  if (requested !== undefined && !isSslMode(requested)) {
    throw new Error(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(", ")} (got "${requested}")`);
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error("DATABASE_URL: a client certificate needs its key, and a key its certificate (sslcert and sslkey)");
  }
  const mode = effectiveMode(requested, caFile !== undefined);
  if (mode === "disable" && (caFile ?? certFile) !== undefined) {
    throw new Error("DATABASE_URL: sslmode=disable, yet a CA or client certificate is given: set sslmode");
  }

  const carriesSsl = SSL_PARAMETERS.some((name) => parsed.searchParams.has(name));
  for (const name of SSL_PARAMETERS) parsed.searchParams.delete(name);
  // WHATWG URLs keep IPv6 hosts in brackets; TLS and net want them bare.
  const host = decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, "$1") || "localhost";
  return {
    // Untouched when there was nothing to take out: what postgres.js always got.
    url: carriesSsl ? parsed.toString() : url,
    host,
    port: parsed.port === "" ? 5432 : Number(parsed.port),
    ssl: {
      mode,
      ...(caFile === undefined ? {} : { caFile }),
      ...(certFile === undefined ? {} : { certFile }),
      ...(keyFile === undefined ? {} : { keyFile }),
    },
  };
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`Cannot read the PostgreSQL ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * postgres.js's `ssl` option for a target. Its own `'require'` encrypts without checking the
 * certificate at all; the verifying modes therefore pass Node TLS options of ours. verify-ca
 * checks the chain only. verify-full also checks the name, against the URL's host: postgres.js
 * hands tls.connect a socket and no host, so an address would otherwise be checked as "localhost".
 */
export function postgresSslOption(target: DatabaseTarget): false | ConnectionOptions {
  const { mode, caFile, certFile, keyFile } = target.ssl;
  if (mode === "disable") return false;
  const clientCertificate =
    certFile === undefined || keyFile === undefined
      ? {}
      : { cert: readPem(certFile, "client certificate"), key: readPem(keyFile, "client key") };
  if (mode === "require") return { rejectUnauthorized: false, ...clientCertificate };
  return {
    rejectUnauthorized: true,
    ...(caFile === undefined ? {} : { ca: readPem(caFile, "CA file") }),
    ...clientCertificate,
    // SNI takes names only, never addresses.
    ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
    checkServerIdentity:
      mode === "verify-full"
        ? (_servername, certificate) => checkServerIdentity(target.host, certificate)
        : () => undefined,
  };
}
