import type { Logger } from "@evoke/logger";
import { Kafka, type logCreator, logLevel } from "kafkajs";

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
function toLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const method = LEVEL_NAMES[level];
      if (method === "silent") return;
      logger[method]({ kafkajs: namespace, ...fields }, message);
    };
}

/** The one place a kafkajs client is constructed, so every process connects the same way. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { brokers, clientId, logger, connectionTimeoutMs = 3_000, retries } = options;
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: connectionTimeoutMs,
    ...(retries === undefined ? {} : { retry: { retries } }),
    ...(logger === undefined
      ? { logLevel: logLevel.NOTHING }
      : { logLevel: kafkajsLevel(logger), logCreator: toLogCreator(logger) }),
  });
}
