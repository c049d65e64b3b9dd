/**
 * The aggregation service process: `node --import tsx services/aggregation/src/main.ts`, started
 * by `npm start`. Projects evoke.intake.v1 and evoke.coded.v1 (group "aggregation") into
 * PostgreSQL and enforces the transcript retention policy and the access audit trail's (daily:
 * the trail is kept for years, so a day's precision is plenty). Stops on SIGINT/SIGTERM.
 *
 * The audit purge runs here rather than in the dashboard because this is the one service that
 * already runs retention on a timer, and it runs whether or not anyone has a dashboard open;
 * purge_access_audit is idempotent, so several instances purging is harmless.
 */
import { aggregationConfig, loadConfigOrExit } from "@evoke/config";
import { connectDatabase, purgeAccessAudit, purgeTranscriptText } from "@evoke/db";
import { createKafkaClient } from "@evoke/kafka";
import { aborted, shutDownWithParent, shutdownSignal } from "@evoke/lifecycle";
import { startHealthServer } from "@evoke/lifecycle/health";
import { createLogger } from "@evoke/logger";
import { DEFAULT_AGGREGATION_TOPICS, startSink } from "./sink.ts";

const config = loadConfigOrExit(aggregationConfig);
const logger = createLogger({ name: "aggregation", level: config.logLevel });
const signal = shutdownSignal();
shutDownWithParent();
const RETENTION_CHECK_MS = 60 * 60 * 1000;
const AUDIT_PURGE_MS = 24 * 60 * 60 * 1000;

try {
  const database = connectDatabase(config.databaseUrl.reveal(), { applicationName: "evoke-aggregation" });
  const kafka = createKafkaClient({
    brokers: config.kafka.brokers,
    security: config.kafka.security,
    clientId: "evoke-aggregation",
    logger: logger.child({ component: "kafka" }),
  });
  const sink = await startSink({ kafka, db: database.db, topics: DEFAULT_AGGREGATION_TOPICS, logger, signal });

  const enforceRetention = async () => {
    try {
      const purged = await purgeTranscriptText(database.db, config.transcriptRetentionDays);
      if (purged > 0)
        logger.info(
          { purged, retentionDays: config.transcriptRetentionDays },
          "transcript text past retention removed",
        );
    } catch (error) {
      logger.warn({ code: (error as { code?: string }).code }, "retention check failed; retrying next hour");
    }
  };
  await enforceRetention();
  const retention = setInterval(enforceRetention, RETENTION_CHECK_MS);
  retention.unref();

  const purgeAuditTrail = async () => {
    try {
      const purged = await purgeAccessAudit(database.db, config.auditRetentionDays);
      if (purged > 0)
        logger.info({ purged, retentionDays: config.auditRetentionDays }, "access audit rows past retention removed");
    } catch (error) {
      logger.warn({ code: (error as { code?: string }).code }, "access audit purge failed; retrying tomorrow");
    }
  };
  await purgeAuditTrail();
  const auditPurge = setInterval(purgeAuditTrail, AUDIT_PURGE_MS);
  auditPurge.unref();

  const health = await startHealthServer({ ...config.http, isReady: () => !signal.aborted });
  logger.info({ health: health.url, retentionDays: config.transcriptRetentionDays }, "aggregation service running");
  await aborted(signal);
  logger.info("stopping");
  clearInterval(retention);
  clearInterval(auditPurge);
  await sink.stop();
  await health.close();
  await database.close();
  logger.info({ ...sink.stats }, "stopped");
} catch (error) {
  logger.fatal(
    { error: { name: (error as Error).name, message: (error as Error).message } },
    "aggregation service could not start",
  );
  process.exitCode = 1;
}
