import { resolve } from "node:path";
import { Secret } from "./secret.ts";
import { path } from "./variables.ts";

/*
 * PostgreSQL's TLS files, given as variables, travel inside DATABASE_URL as libpq's own
 * parameters (sslrootcert, sslcert, sslkey): packages/db reads them there, and every process
 * handed DATABASE_URL (services started by npm start, the test harness's children) gets them too.
 */

/** The variables, for each config that reads DATABASE_URL. */
export const postgresSslVariables = {
  DATABASE_SSL_CA_FILE: path(
    "PEM file of the CA that signed PostgreSQL's certificate (DATABASE_URL's sslrootcert). With no sslmode in DATABASE_URL it means verify-full; with require, verify-ca (as libpq).",
  ),
  DATABASE_SSL_CERT_FILE: path(
    "PEM client certificate, for servers that require one (DATABASE_URL's sslcert); needs DATABASE_SSL_KEY_FILE.",
  ),
  DATABASE_SSL_KEY_FILE: path("PEM key of DATABASE_SSL_CERT_FILE (DATABASE_URL's sslkey)."),
};

export interface PostgresSslFiles {
  readonly DATABASE_SSL_CA_FILE?: string | undefined;
  readonly DATABASE_SSL_CERT_FILE?: string | undefined;
  readonly DATABASE_SSL_KEY_FILE?: string | undefined;
}

/**
 * The URL with the files set as its parameters, as absolute paths (a child process may resolve
 * them from elsewhere). A variable overrides the parameter it stands for.
 */
export function withPostgresSslFiles(url: Secret, files: PostgresSslFiles): Secret {
  const parameters: [string, string | undefined][] = [
    ["sslrootcert", files.DATABASE_SSL_CA_FILE],
    ["sslcert", files.DATABASE_SSL_CERT_FILE],
    ["sslkey", files.DATABASE_SSL_KEY_FILE],
  ];
  if (parameters.every(([, file]) => file === undefined)) return url;
  const next = new URL(url.reveal());
  for (const [name, file] of parameters) if (file !== undefined) next.searchParams.set(name, resolve(file));
  return new Secret(next.toString());
}
