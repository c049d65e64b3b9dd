import kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import { explainKafkaError, KafkaAccessError } from "./access-errors.ts";

/*
 * kafkajs's own error classes, built the way kafkajs builds them when a broker refuses (the
 * integration test kafka.sasl-ssl-and-acls proves the same lines against a real broker).
 */
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } = kafkajs;
// kafkajs's type declarations leave out these constructors' parameters.
const KafkaJSProtocolError = kafkajs.KafkaJSProtocolError as unknown as new (e: {
  type: string;
  code: number;
  retriable: boolean;
  message: string;
}) => Error;
const KafkaJSSASLAuthenticationError = kafkajs.KafkaJSSASLAuthenticationError as unknown as new (
  message: string,
) => Error;
const KafkaJSGroupCoordinatorNotFound = kafkajs.KafkaJSGroupCoordinatorNotFound as unknown as new (
  message: string,
) => Error;

const context = { brokers: ["kafka-1:9093"], username: "evoke-coding", mechanism: "scram-sha-512" };
const protocolError = (type: string, code: number) =>
  new KafkaJSProtocolError({ type, code, retriable: false, message: `${type} from the broker` });

describe("explainKafkaError", () => {
  it("names an untrusted certificate, also when kafkajs wrapped it after its retries", () => {
    for (const code of ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN"]) {
      const refused = new KafkaJSConnectionError(`Connection error: ${code}`, { broker: "kafka-1:9093", code });
      const wrapped = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 100 });
      for (const error of [refused, wrapped]) {
        const explained = explainKafkaError(error, context);
        expect(explained).toBeInstanceOf(KafkaAccessError);
        expect(explained?.problem).toBe("certificate-not-trusted");
        expect(explained?.message).toBe(
          `Kafka TLS handshake with kafka-1:9093 failed: certificate not trusted (${code}); KAFKA_SSL_CA_FILE must hold the CA that signed the broker's certificate.`,
        );
      }
    }
  });

  it("names a certificate issued for another host, and a listener that does not speak TLS", () => {
    const wrongHost = new KafkaJSConnectionError("Connection error", { code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect(explainKafkaError(wrongHost, context)?.problem).toBe("certificate-wrong-host");
    const plain = new KafkaJSConnectionError("Connection error", { code: "ERR_SSL_WRONG_VERSION_NUMBER" });
    expect(explainKafkaError(plain, context)?.message).toMatch(/that listener does not speak TLS/);
  });

  it("names a client certificate the broker wants and did not get (or does not trust)", () => {
    const refused = new KafkaJSConnectionError("Connection error: sslv3 alert bad certificate", {
      code: "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
    });
    expect(explainKafkaError(refused, context)?.message).toBe(
      "Kafka TLS handshake with kafka-1:9093 refused by the broker (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE): it requires a client certificate signed by a CA it trusts (KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE).",
    );
  });

  it("names wrong credentials with the user, never the password", () => {
    const error = new KafkaJSSASLAuthenticationError(
      "SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512",
    );
    const explained = explainKafkaError(error, context);
    expect(explained?.problem).toBe("wrong-credentials");
    expect(explained?.message).toBe(
      'Kafka at kafka-1:9093 refused SASL SCRAM-SHA-512 for user "evoke-coding": wrong user or password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD).',
    );
  });

  it("names a mechanism the broker does not enable, however kafkajs reports it", () => {
    const plainContext = { ...context, mechanism: "plain" };
    const fromHandshake = new KafkaJSSASLAuthenticationError("SASL PLAIN mechanism is not supported by the server");
    const fromProtocol = protocolError("UNSUPPORTED_SASL_MECHANISM", 33);
    for (const error of [fromHandshake, fromProtocol]) {
      expect(explainKafkaError(error, plainContext)?.message).toBe(
        "Kafka at kafka-1:9093 refused SASL PLAIN: mechanism not enabled on the broker's listener (KAFKA_SASL_MECHANISM).",
      );
    }
  });

  it("names a missing ACL, and the group refusal kafkajs reports only as a missing coordinator", () => {
    expect(explainKafkaError(protocolError("TOPIC_AUTHORIZATION_FAILED", 29), context)?.message).toBe(
      'Kafka at kafka-1:9093 denied user "evoke-coding" access to a topic (TOPIC_AUTHORIZATION_FAILED): no ACL allows it; grant one to User:evoke-coding.',
    );
    const coordinator = new KafkaJSGroupCoordinatorNotFound("Failed to find group coordinator");
    expect(explainKafkaError(coordinator, context)).toBeUndefined();
    const refused = { ...context, coordinatorRefusal: () => "GROUP_AUTHORIZATION_FAILED" };
    expect(explainKafkaError(coordinator, refused)?.message).toMatch(
      /denied user "evoke-coding" access to a group \(GROUP_AUTHORIZATION_FAILED\)/,
    );
  });

  it("leaves other failures alone: a broker that is down is not an access problem", () => {
    const refusedConnection = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED", {
      code: "ECONNREFUSED",
    });
    expect(explainKafkaError(refusedConnection, context)).toBeUndefined();
    expect(explainKafkaError(protocolError("UNKNOWN_TOPIC_OR_PARTITION", 3), context)).toBeUndefined();
    expect(explainKafkaError(new Error("boom"), context)).toBeUndefined();
  });

  it("gives one line: no newline, no stack in the message", () => {
    const explained = explainKafkaError(protocolError("CLUSTER_AUTHORIZATION_FAILED", 31), context);
    expect(explained?.message).not.toContain("\n");
  });
});
