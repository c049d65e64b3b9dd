/**
 * The ingest service process: `node --import tsx services/ingest/src/main.ts`, started by
 * `npm start` with KAFKA_BROKERS and INGEST_API_KEYS set. Stops on SIGINT/SIGTERM after
 * in-flight requests have been answered.
 */
import { ingestConfig, loadConfigOrExit } from "@evoke/config";
import { TOPICS } from "@evoke/events";
import { aborted, shutDownWithParent, shutdownSignal } from "@evoke/lifecycle";
import { createLogger } from "@evoke/logger";
import { startIngestServer } from "./server.ts";

const config = loadConfigOrExit(ingestConfig);

const logger = createLogger({ name: "ingest", level: config.logLevel });
const signal = shutdownSignal();
shutDownWithParent();
try {
  const server = await startIngestServer(config, { logger, topics: TOPICS });
  logger.info({ url: server.url, apiKeys: config.apiKeys.map((key) => key.name) }, "ingest listening");
  await aborted(signal);
  logger.info("stopping");
  await server.close();
  logger.info("stopped");
} catch (error) {
  logger.fatal({ error: { name: (error as Error).name, message: (error as Error).message } }, "ingest could not start");
  process.exitCode = 1;
}
