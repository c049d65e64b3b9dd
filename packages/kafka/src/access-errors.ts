/*
 * The one place that turns kafkajs's failures to get in (TLS handshake, SASL, ACLs) into one
 * line a person can act on. kafkajs reports them in several shapes: a KafkaJSConnectionError
 * carrying Node's TLS error code, a KafkaJSSASLAuthenticationError whose message says what the
 * broker answered, a protocol error typed UNSUPPORTED_SASL_MECHANISM or *_AUTHORIZATION_FAILED,
 * each possibly wrapped (KafkaJSNumberOfRetriesExceeded, a consumer crash) as `cause`.
 */

export type KafkaAccessProblem =
  | "certificate-not-trusted"
  | "certificate-wrong-host"
  | "client-certificate-refused"
  | "not-tls"
  | "wrong-credentials"
  | "mechanism-not-enabled"
  | "not-authorised";

/** Refused by the broker for a reason retrying will not fix; its message is the whole story. */
export class KafkaAccessError extends Error {
  override readonly name = "KafkaAccessError";
  readonly problem: KafkaAccessProblem;

  constructor(problem: KafkaAccessProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.problem = problem;
  }
}

/** What the client was trying, so the line can name the broker and the user. */
export interface AccessContext {
  readonly brokers: readonly string[];
  readonly username?: string | undefined;
  readonly mechanism?: string | undefined;
  /** The *_AUTHORIZATION_FAILED code behind kafkajs's bare "Failed to find group coordinator". */
  readonly coordinatorRefusal?: () => string | undefined;
}

/** Node's codes for a certificate chain it could not verify against the CAs it was given. */
const UNTRUSTED_CERTIFICATE = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
]);

interface ErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly cause?: unknown;
}

/** The error and what it wraps, outermost first (bounded: causes can loop). */
function chain(error: unknown): ErrorLike[] {
  const links: ErrorLike[] = [];
  let current: unknown = error;
  while (typeof current === "object" && current !== null && links.length < 10 && !links.includes(current)) {
    links.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return links;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function brokersOf(context: AccessContext): string {
  return context.brokers.join(",");
}

function classify(link: ErrorLike, context: AccessContext): KafkaAccessError | undefined {
  const code = text(link.code);
  const coordinatorNotFound = text(link.name) === "KafkaJSGroupCoordinatorNotFound";
  const type = text(link.type) || (coordinatorNotFound ? (context.coordinatorRefusal?.() ?? "") : "");
  const message = text(link.message);
  const at = brokersOf(context);
  const mechanism = (context.mechanism ?? "").toUpperCase();
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return new KafkaAccessError(
      "certificate-not-trusted",
      `Kafka TLS handshake with ${at} failed: certificate not trusted (${code}); KAFKA_SSL_CA_FILE must hold the CA that signed the broker's certificate.`,
    );
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return new KafkaAccessError(
      "certificate-wrong-host",
      `Kafka TLS handshake with ${at} failed: the broker's certificate does not name that host (${code}); connect by a name the certificate lists.`,
    );
  }
  // The broker's TLS alert when it requires mTLS: Java answers a missing certificate with
  // bad_certificate (alert 42, seen against Kafka 4.4), others with certificate_required.
  if (/^ERR_SSL_.*ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|UNKNOWN_CA|CERTIFICATE_UNKNOWN)$/.test(code)) {
    return new KafkaAccessError(
      "client-certificate-refused",
      `Kafka TLS handshake with ${at} refused by the broker (${code}): it requires a client certificate signed by a CA it trusts (KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE).`,
    );
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG") {
    return new KafkaAccessError(
      "not-tls",
      `Kafka TLS handshake with ${at} failed: that listener does not speak TLS (${code}); use its TLS port or unset KAFKA_SSL*.`,
    );
  }
  const isSasl = text(link.name) === "KafkaJSSASLAuthenticationError";
  if (type === "UNSUPPORTED_SASL_MECHANISM" || (isSasl && /mechanism is not supported/i.test(message))) {
    return new KafkaAccessError(
      "mechanism-not-enabled",
      `Kafka at ${at} refused SASL ${mechanism || "authentication"}: mechanism not enabled on the broker's listener (KAFKA_SASL_MECHANISM).`,
    );
  }
  if (isSasl || type === "SASL_AUTHENTICATION_FAILED") {
    const user = context.username === undefined ? "" : ` "${context.username}"`;
    return new KafkaAccessError(
      "wrong-credentials",
      `Kafka at ${at} refused SASL ${mechanism || "authentication"} for user${user}: wrong user or password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD).`,
    );
  }
  if (/_AUTHORIZATION_FAILED$/.test(type)) {
    const what = type
      .replace(/_AUTHORIZATION_FAILED$/, "")
      .toLowerCase()
      .replaceAll("_", " ");
    const who = context.username === undefined ? "this client" : `user "${context.username}"`;
    return new KafkaAccessError(
      "not-authorised",
      `Kafka at ${at} denied ${who} access to a ${what} (${type}): no ACL allows it; grant one to User:${context.username ?? "ANONYMOUS"}.`,
    );
  }
  return undefined;
}

/**
 * The access problem behind `error`, as a KafkaAccessError with one clear line, or undefined
 * when the failure is something else (a broker that is down, a missing topic...).
 */
export function explainKafkaError(error: unknown, context: AccessContext): KafkaAccessError | undefined {
  if (error instanceof KafkaAccessError) return error;
  for (const link of chain(error)) {
    const explained = classify(link, context);
    if (explained !== undefined) return new KafkaAccessError(explained.problem, explained.message, { cause: error });
  }
  return undefined;
}

/** `error` explained when it is an access problem, else unchanged: for rethrowing. */
export function withAccessExplained(error: unknown, context: AccessContext): unknown {
  return explainKafkaError(error, context) ?? error;
}
