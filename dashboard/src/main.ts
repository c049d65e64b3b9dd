/**
 * The dashboard process: `node --import tsx dashboard/src/main.ts`, started by `npm start`.
 * Serves the pages and /api/v1 on DASHBOARD_PORT. Stops on SIGINT/SIGTERM.
 */
import { dashboardConfig, loadConfigOrExit } from "@evoke/config";
import { aborted, shutDownWithParent, shutdownSignal } from "@evoke/lifecycle";
import { createLogger } from "@evoke/logger";
import { startDashboard } from "./server.ts";

const config = loadConfigOrExit(dashboardConfig);
const logger = createLogger({ name: "dashboard", level: config.logLevel });
const signal = shutdownSignal();
shutDownWithParent();

try {
  const dashboard = await startDashboard(config, logger);
  logger.info({ url: dashboard.url, tokens: config.tokens.map((token) => token.name) }, "dashboard running");
  await aborted(signal);
  logger.info("stopping");
  await dashboard.stop();
  logger.info("stopped");
} catch (error) {
  logger.fatal(
    {
      error: {
        name: (error as Error).name,
        message: (error as Error).message,
        code: (error as { code?: string }).code,
      },
    },
    "dashboard could not start",
  );
  process.exitCode = 1;
}
