import { connect } from "node:net";
import type { PeerCertificate } from "node:tls";
import type { DatabaseTarget } from "./ssl.ts";

/** A connection that failed for a TLS reason, said in one line. The original error is its cause. */
export class DatabaseSslError extends Error {
  override readonly name = "DatabaseSslError";
}

// OpenSSL's verdicts for "no trusted CA vouches for this certificate".
const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

// What a TLS handshake sent to a server that declined SSL ends in: it closed the connection.
const HANDSHAKE_CUT = new Set(["ECONNRESET", "EPIPE", "CONNECTION_CLOSED", "CONNECTION_ENDED"]);

/** "DNS:localhost, IP Address:::1" → "localhost, ::1"; the subject's CN when there are none. */
function certificateNames(certificate: PeerCertificate | undefined): string {
  const names = (certificate?.subjectaltname ?? "")
    .split(",")
    .map((entry) => entry.trim().replace(/^(DNS|IP Address):/, ""))
    .filter((name) => name !== "");
  if (names.length > 0) return names.join(", ");
  const commonName = certificate?.subject?.CN;
  return (Array.isArray(commonName) ? commonName.join(", ") : commonName) ?? "no name";
}

/**
 * Asks the server, as the protocol's first message does, whether it speaks SSL: 'S' yes,
 * 'N' no. Only used to explain a failed handshake, so any other outcome is "unknown".
 */
export function serverAcceptsSsl(host: string, port: number, timeoutMs = 3_000): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("error", () => done(undefined));
    socket.once("connect", () => {
      // SSLRequest: length 8, code 80877103.
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(80877103, 4);
      socket.write(request);
    });
    socket.once("data", (answer) => done(answer[0] === 0x53 ? true : answer[0] === 0x4e ? false : undefined));
  });
}

type ConnectionFailure = Error & { code?: string; cert?: PeerCertificate };

/** The error itself, or the one it wraps: drizzle reports "Failed query: ..." with the cause inside. */
function connectionError(error: unknown): ConnectionFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if ((current as ConnectionFailure).code !== undefined) return current as ConnectionFailure;
    current = current.cause;
  }
  return undefined;
}

/**
 * The one-line reason a connection to `target` failed, when TLS is why; otherwise the error as
 * it came. Async because "the server does not support SSL" looks, from the failed handshake,
 * like any dropped connection: the server is asked.
 */
export async function explainConnectionFailure(error: unknown, target: DatabaseTarget): Promise<unknown> {
  const { mode, caFile } = target.ssl;
  if (mode === "disable") return error;
  const failure = connectionError(error);
  if (failure === undefined) return error;
  const code = failure.code ?? "";
  const where = `${target.host}:${target.port}`;
  const said = (line: string) => new DatabaseSslError(line, { cause: error });

  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return said(
      `PostgreSQL's certificate is for ${certificateNames(failure.cert)}, not ${target.host} (sslmode=${mode})`,
    );
  }
  if (UNTRUSTED.has(code)) {
    const trusted = caFile === undefined ? "Node's built-in CA list (set DATABASE_SSL_CA_FILE)" : caFile;
    return said(
      `PostgreSQL's certificate at ${where} is not trusted: no CA in ${trusted} signed it (sslmode=${mode}; ${failure.message})`,
    );
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return said(`PostgreSQL's certificate at ${where} is outside its validity dates (${failure.message})`);
  }
  if (HANDSHAKE_CUT.has(code) || /before secure TLS connection/.test(failure.message)) {
    if ((await serverAcceptsSsl(target.host, target.port)) === false) {
      return said(`PostgreSQL at ${where} does not support SSL, and sslmode=${mode} requires it`);
    }
  }
  return error;
}
