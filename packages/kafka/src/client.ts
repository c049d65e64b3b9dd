import type { Logger } from "@evoke/logger";
import { Kafka, type logCreator, logLevel } from "kafkajs";
import { type AccessContext, withAccessExplained } from "./access-errors.ts";
import { type KafkaSecurity, kafkajsSecurityOptions } from "./security.ts";

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  /** Names this process in broker logs and metrics, e.g. "evoke-aggregation". */
  readonly clientId: string;
  /** kafkajs's own log lines go here; pass a silent logger to mute them. */
  readonly logger?: Logger;
  /** How long one connection attempt may take; raise it for slow remote brokers. */
  readonly connectionTimeoutMs?: number;
  /** Retries of a failed request or connection (kafkajs default: 5, with backoff). */
  readonly retries?: number;
  /** TLS and SASL; plain TCP without authentication when absent. */
  readonly security?: KafkaSecurity | undefined;
}

const LEVEL_NAMES = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
  [logLevel.NOTHING]: "silent",
} as const;

function kafkajsLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case "trace":
    case "debug":
      return logLevel.DEBUG;
    case "info":
      return logLevel.INFO;
    case "warn":
      return logLevel.WARN;
    case "silent":
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/** Routes kafkajs's log entries into our structured logger, one child per kafkajs namespace. */
function toLogCreator(logger: Logger | undefined, onEntry: (entry: Record<string, unknown>) => void): logCreator {
  const wanted = logger === undefined ? logLevel.NOTHING : kafkajsLevel(logger);
  return () =>
    ({ namespace, level, log }) => {
      onEntry(log);
      if (logger === undefined || level > wanted) return;
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const method = LEVEL_NAMES[level];
      if (method === "silent") return;
      logger[method]({ kafkajs: namespace, ...fields }, message);
    };
}

/*
 * kafkajs 2.2.4 drops the reason a group coordinator was refused: a GROUP_AUTHORIZATION_FAILED
 * answer ends as "Failed to find group coordinator", the code left only in a debug log entry.
 * Clients that authenticate (where ACLs apply) therefore read kafkajs's debug entries and keep
 * the last such refusal, so the access error can name it.
 */
function coordinatorRefusalRecorder() {
  let refusal: string | undefined;
  return {
    onEntry: (entry: Record<string, unknown>) => {
      if (entry.message !== "Tried to find group coordinator") return;
      const type = (entry.error as { type?: unknown } | undefined)?.type;
      if (typeof type === "string" && type.endsWith("_AUTHORIZATION_FAILED")) refusal = type;
    },
    last: () => refusal,
  };
}

/**
 * Makes every promise-returning method of a kafkajs producer, consumer or admin (plain objects
 * of closures) reject with the one-line KafkaAccessError when the broker refused the handshake,
 * the credentials or an ACL, so no caller has to recognise kafkajs's shapes of those.
 */
function explainingAccessErrors<Client extends object>(client: Client, context: AccessContext): Client {
  const methods = client as Record<string, unknown>;
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method !== "function") continue;
    methods[name] = (...args: unknown[]) => {
      const result: unknown = method.apply(client, args);
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw withAccessExplained(error, context);
          })
        : result;
    };
  }
  return client;
}

const contexts = new WeakMap<Kafka, AccessContext>();

/** Who a client connects to and as whom, for explaining a refusal seen outside a method call. */
export function accessContextOf(kafka: Kafka): AccessContext {
  return contexts.get(kafka) ?? { brokers: [] };
}

/** The one place a kafkajs client is constructed, so every process connects the same way. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { brokers, clientId, logger, connectionTimeoutMs = 3_000, retries, security } = options;
  const refusals = coordinatorRefusalRecorder();
  const authenticates = security?.sasl !== undefined && security.sasl !== null;
  const level = authenticates ? logLevel.DEBUG : logger === undefined ? logLevel.NOTHING : kafkajsLevel(logger);
  const kafka = new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: connectionTimeoutMs,
    ...kafkajsSecurityOptions(security),
    ...(retries === undefined ? {} : { retry: { retries } }),
    logLevel: level,
    logCreator: toLogCreator(logger, authenticates ? refusals.onEntry : () => undefined),
  });
  const context: AccessContext = {
    brokers,
    username: security?.sasl?.username,
    mechanism: security?.sasl?.mechanism,
    coordinatorRefusal: refusals.last,
  };
  contexts.set(kafka, context);
  const { producer, consumer, admin } = kafka;
  kafka.producer = (config) => explainingAccessErrors(producer.call(kafka, config), context);
  kafka.consumer = (config) => explainingAccessErrors(consumer.call(kafka, config), context);
  kafka.admin = (config) => explainingAccessErrors(admin.call(kafka, config), context);
  return kafka;
}
