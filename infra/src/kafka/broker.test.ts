import { describe, expect, it } from "vitest";
import { newClusterId, serverProperties } from "./broker.ts";

describe("serverProperties", () => {
  const properties = serverProperties({ port: 19092, controllerPort: 19093, dataDir: "/data/kafka" });
  const lines = new Set(properties.split("\n"));

  it("runs one combined broker and controller on the given loopback ports", () => {
    expect(lines).toContain("process.roles=broker,controller");
    expect(lines).toContain("controller.quorum.voters=1@127.0.0.1:19093");
    expect(lines).toContain("listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    expect(lines).toContain("advertised.listeners=PLAINTEXT://127.0.0.1:19092");
    expect(lines).toContain("log.dirs=/data/kafka");
  });

  it("sizes internal topics for one broker, or groups and transactions never get a coordinator", () => {
    expect(lines).toContain("offsets.topic.replication.factor=1");
    expect(lines).toContain("transaction.state.log.replication.factor=1");
    expect(lines).toContain("transaction.state.log.min.isr=1");
  });

  it("refuses to auto-create topics, so a misspelt topic fails loudly", () => {
    expect(lines).toContain("auto.create.topics.enable=false");
  });

  it("runs few request threads, for a machine of two cores shared with the pipeline", () => {
    expect(lines).toContain("num.network.threads=1");
    expect(lines).toContain("num.io.threads=2");
  });
});

describe("serverProperties with a secured listener", () => {
  const properties = serverProperties({
    port: 19092,
    controllerPort: 19093,
    dataDir: "/data/kafka",
    secured: {
      options: { port: 19094, users: [{ name: "admin", password: "pw" }], superUsers: ["admin"] },
      tls: { caFile: "/tls/ca.pem", keystoreFile: "/tls/broker.p12", keystorePassword: "ks" },
    },
  });
  const lines = new Set(properties.split("\n"));

  it("adds a SASL_SSL listener beside the plain one, with the broker's keystore", () => {
    expect(lines).toContain(
      "listeners=PLAINTEXT://127.0.0.1:19092,SASL_SSL://127.0.0.1:19094,CONTROLLER://127.0.0.1:19093",
    );
    expect(lines).toContain(
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
    );
    expect(lines).toContain("listener.name.sasl_ssl.ssl.keystore.location=/tls/broker.p12");
    expect(lines).toContain("listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512");
  });

  it("checks ACLs, denying what none allows, with the admin and the broker's own principal as super users", () => {
    expect(lines).toContain("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    expect(lines).toContain("super.users=User:ANONYMOUS;User:admin");
    expect(lines).toContain("allow.everyone.if.no.acl.found=false");
  });

  it("requires client certificates signed by its CA only when asked to (mTLS)", () => {
    expect(properties).not.toContain("ssl.client.auth");
    const mtls = serverProperties({
      port: 19092,
      controllerPort: 19093,
      dataDir: "/data/kafka",
      secured: {
        options: { port: 19094, users: [], superUsers: [], requireClientCertificate: true },
        tls: { caFile: "/tls/ca.pem", keystoreFile: "/tls/broker.p12", keystorePassword: "ks" },
      },
    }).split("\n");
    expect(mtls).toContain("listener.name.sasl_ssl.ssl.client.auth=required");
    expect(mtls).toContain("listener.name.sasl_ssl.ssl.truststore.location=/tls/ca.pem");
  });

  it("leaves the plain broker as it was when no secured listener is asked for", () => {
    const plain = serverProperties({ port: 19092, controllerPort: 19093, dataDir: "/data/kafka" });
    expect(plain).not.toContain("SASL_SSL");
    expect(plain).not.toContain("authorizer");
  });
});

describe("newClusterId", () => {
  it("is 16 random bytes in unpadded base64url, as KRaft expects", () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, "base64url")).toHaveLength(16);
    expect(newClusterId()).not.toBe(id);
  });

  it("never starts with '-', which kafka-storage would take for an option", () => {
    // 0xf8 as the first byte encodes as "-" in base64url; the next draw is taken instead.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = newClusterId(() => draws.shift() as Buffer);
    expect(Buffer.alloc(16, 0xf8).toString("base64url").startsWith("-")).toBe(true);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString("base64url"));
  });
});
