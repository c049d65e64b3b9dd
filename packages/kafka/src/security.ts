import { readFileSync } from "node:fs";
import type { KafkaConfig, SASLOptions } from "kafkajs";

/*
 * How a client secures its connections: TLS (the broker's certificate checked against a CA,
 * a client certificate for mTLS) and SASL. Shaped like @evoke/config's KafkaSecurityConfig,
 * which this package does not import (it may not), so a service passes its config as it is.
 */

export interface KafkaTlsSettings {
  /** PEM file of the CA the broker's certificate must chain to; undefined: the system's CAs. */
  readonly caFile?: string | undefined;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

export interface KafkaSaslSettings {
  readonly mechanism: "scram-sha-512" | "plain";
  readonly username: string;
  /** A `Secret` from @evoke/config, or anything else that reveals the password when asked. */
  readonly password: { reveal(): string };
}

export interface KafkaSecurity {
  readonly tls?: KafkaTlsSettings | null;
  readonly sasl?: KafkaSaslSettings | null;
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`Kafka TLS: cannot read the ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/** The `ssl` and `sasl` options of a kafkajs client; files are read once, here. */
export function kafkajsSecurityOptions(security: KafkaSecurity | undefined): Pick<KafkaConfig, "ssl" | "sasl"> {
  const tls = security?.tls ?? null;
  const sasl = security?.sasl ?? null;
  if (sasl?.mechanism === "plain" && tls === null) {
    // @evoke/config refuses this too; checked again for callers that build settings by hand.
    throw new Error("Kafka SASL PLAIN sends the password as it is: it needs TLS");
  }
  const ssl =
    tls === null
      ? undefined
      : {
          // Node checks the chain and that the certificate names the host we dialled.
          rejectUnauthorized: true,
          ...(tls.caFile === undefined ? {} : { ca: [readPem(tls.caFile, "CA file")] }),
          ...(tls.certFile === undefined ? {} : { cert: readPem(tls.certFile, "client certificate") }),
          ...(tls.keyFile === undefined ? {} : { key: readPem(tls.keyFile, "client key") }),
        };
  const saslOptions: SASLOptions | undefined =
    sasl === null
      ? undefined
      : sasl.mechanism === "plain"
        ? { mechanism: "plain", username: sasl.username, password: sasl.password.reveal() }
        : { mechanism: "scram-sha-512", username: sasl.username, password: sasl.password.reveal() };
  return { ...(ssl === undefined ? {} : { ssl }), ...(saslOptions === undefined ? {} : { sasl: saslOptions }) };
}
