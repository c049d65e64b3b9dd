import { mkdir } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import type { InfrastructureConfig } from "@evoke/config";
import { migrateDatabase } from "@evoke/db";
import { aborted, shutdownSignal } from "@evoke/lifecycle";
import { DEMO_DIRECTOR, DEMO_INGEST_KEY, ingestKeys } from "./demo-credentials.ts";
import { planDemoData, sendDemoData } from "./demo-data.ts";
import { megabytes, seconds } from "./format.ts";
import { localUrl, startPipeline } from "./pipeline.ts";
import type { Progress } from "./progress.ts";
import type { RunningService } from "./services.ts";
import { claimSupervisor } from "./single-instance.ts";
import { type Infrastructure, localDirectories, provisionInfrastructure } from "./stack.ts";
import { setUpTopics } from "./topics.ts";

/*
 * `npm start`: infrastructure, migrations, topics, then the services, each waited for; on
 * Ctrl-C the services stop first, then the servers they used. Into a new, empty installation it
 * sends a demo clinic through ingest, so the dashboard has something to show.
 */

/** The URL with its password masked, for URLs the user configured (theirs may be real). */
function maskPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "****";
  return parsed.toString();
}

/** A path as the user reads it: relative when under the working directory (npm start's is the repository). */
function shown(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath === "" || relativePath.startsWith("..") || isAbsolute(relativePath) ? path : relativePath;
}

function describeInfrastructure(infrastructure: Infrastructure): string[] {
  const { kafka, postgres } = infrastructure;
  const kafkaHow =
    kafka.origin.kind === "configured"
      ? "from KAFKA_BROKERS"
      : kafka.origin.outcome === "started"
        ? `local Apache Kafka ${kafka.version} (KRaft), started in ${seconds(kafka.startMs)}${kafka.fetchedBytes ? `, ${megabytes(kafka.fetchedBytes)} of jars fetched` : ""}`
        : `local Apache Kafka ${kafka.version}, already running`;
  const postgresHow =
    postgres.origin.kind === "configured"
      ? "from DATABASE_URL"
      : postgres.origin.outcome === "started"
        ? `embedded PostgreSQL ${postgres.version}, started in ${seconds(postgres.startMs)}`
        : `embedded PostgreSQL ${postgres.version}, already running`;
  // The embedded server's fixed local credentials are shown so people can connect with psql.
  const url = postgres.origin.kind === "configured" ? maskPassword(postgres.url) : postgres.url;
  return [`  Kafka       ${kafka.brokers.join(",")}   ${kafkaHow}`, `  PostgreSQL  ${url}   ${postgresHow}`];
}

export interface SupervisorOptions {
  /** False for `pnpm infra up`: infrastructure, migrations and topics only, no services. */
  readonly services: boolean;
}

export async function runSupervisor(
  config: InfrastructureConfig,
  env: NodeJS.ProcessEnv,
  progress: Progress,
  options: SupervisorOptions = { services: true },
): Promise<void> {
  const { root } = localDirectories(config);
  await mkdir(root, { recursive: true });
  const signal = shutdownSignal();
  const releaseClaim = await claimSupervisor(root);
  const services: RunningService[] = [];
  try {
    console.log("Evoke: starting…");
    const infrastructure = await provisionInfrastructure(config, progress);
    try {
      if (signal.aborted) return;
      await migrateDatabase(infrastructure.postgres.url);
      const created = await setUpTopics(
        infrastructure.kafka.brokers,
        config.kafka.topics,
        infrastructure.kafka.security,
      );
      const lines = [
        "",
        options.services ? "Evoke is up:" : "Evoke's infrastructure is up (no services: pnpm infra up):",
        ...describeInfrastructure(infrastructure),
        "  Migrations  applied",
        `  Topics      ${created.length > 0 ? `created ${created.join(", ")}` : "evoke.intake.v1, evoke.transcripts.v1, evoke.coded.v1, evoke.dlq.v1 present"}`,
      ];
      if (options.services) {
        if (signal.aborted) return;
        const keys = await ingestKeys(env, root);
        const demoData = await planDemoData({
          enabled: config.demoData,
          demoKey: keys.demoFile !== undefined,
          databaseUrl: infrastructure.postgres.url,
          now: new Date(),
        });
        const { ingest, dashboard } = await startPipeline(infrastructure, env, root, keys, services);
        if (signal.aborted) return;
        const ingestUrl = localUrl(ingest.config.http);
        const dashboardUrl = localUrl(dashboard.config.http);
        const demoSummary = await sendDemoData(
          demoData,
          { url: ingestUrl, apiKey: ingest.demoKey ?? "", maxBodyBytes: ingest.config.http.maxBodyBytes },
          signal,
        );
        if (signal.aborted) return;
        const names = (list: readonly { name: string }[]) => list.map((entry) => entry.name).join(", ");
        lines.push(
          `  Ingest API  ${ingestUrl}/v1/events   (OpenAPI: ${ingestUrl}/openapi.json, guide: docs/ingest.md)`,
          "  Coding      evoke.transcripts.v1 → MITI codings on evoke.coded.v1",
          "  Aggregation evoke.intake.v1 + evoke.transcripts.v1 + evoke.coded.v1 → PostgreSQL",
          `  Dashboard   ${dashboardUrl}   (API: ${dashboardUrl}/api/v1, OpenAPI: ${dashboardUrl}/api/v1/openapi.json)`,
          ingest.demoKey === undefined
            ? `  API keys    ${names(ingest.config.apiKeys)} (from INGEST_API_KEYS)`
            : `  API key     "${DEMO_INGEST_KEY}" (demo): Authorization: Bearer ${ingest.demoKey}`,
          dashboard.demoTokens === undefined
            ? `  Tokens      ${names(dashboard.config.tokens)} (from DASHBOARD_TOKENS)`
            : `  Sign in     "${DEMO_DIRECTOR}" (demo director, all programmes): ${dashboard.demoTokens.director ?? "(see the file)"}   (analyst and engineer tokens: ${shown(dashboard.demoTokens.file)})`,
          `  Demo data   ${demoSummary}`,
        );
      }
      lines.push(`  Logs        ${shown(join(root, "logs"))}`, "", "Press Ctrl-C to stop.");
      console.log(lines.join("\n"));
      // Signal listeners do not keep Node's event loop alive; this timer does, until Ctrl-C.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      await aborted(signal);
      clearInterval(keepAlive);
    } finally {
      if (signal.aborted) console.log("\nEvoke: stopping…");
      // Services first: they may still be writing to Kafka and PostgreSQL.
      await Promise.all(services.map((service) => service.stop()));
      await infrastructure.release();
    }
    console.log("Evoke: stopped.");
  } finally {
    await releaseClaim();
  }
}
