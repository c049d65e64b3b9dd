import { join } from "node:path";
import {
  aggregationConfig,
  ConfigError,
  codingConfig,
  type DashboardConfig,
  dashboardConfig,
  type IngestConfig,
  ingestConfig,
  loadConfig,
} from "@evoke/config";
import {
  type Credentials,
  DEMO_DIRECTOR,
  DEMO_INGEST_KEY,
  dashboardTokens,
  fhirPatientSalt,
  secretOf,
} from "./demo-credentials.ts";
import { InfraError } from "./errors.ts";
import { REPO_ROOT } from "./paths.ts";
import { assertPortFree } from "./ports.ts";
import { type RunningService, startService } from "./services.ts";
import type { Infrastructure } from "./stack.ts";

/*
 * The pipeline's processes for `npm start`: ingest, coding, aggregation and the dashboard, each
 * a child process with its own log, launched together and each waited for until it serves.
 */

/** A service's config as the service itself will parse it, checked here to fail early and clearly. */
function serviceConfig<Config>(load: () => Config): Config {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError)
      throw new InfraError(error.message, "Fix the variable(s) above; README.md#configuration lists them all.");
    throw error;
  }
}

interface ServiceLaunch {
  /** "ingest", "coding"...: also its log file's name. */
  readonly name: string;
  /** The entry point, relative to the repository root. */
  readonly entry: string;
  readonly env: Record<string, string>;
  /** Where its /healthz answers, and the variable that sets it. */
  readonly port: number;
  readonly portVariable: string;
}

async function launch(service: ServiceLaunch, dataDir: string): Promise<RunningService> {
  await assertPortFree(
    service.port,
    service.portVariable,
    `Or choose another: ${service.portVariable}=${service.port + 10_000} npm start.`,
    // A killed supervisor's service notices and stops within a second or so: let it.
    { waitMs: 5_000 },
  );
  return startService({
    name: service.name,
    entry: join(REPO_ROOT, service.entry),
    env: service.env,
    logFile: join(dataDir, "logs", `${service.name}.log`),
    healthUrl: `http://127.0.0.1:${service.port}/healthz`,
  });
}

/** The address a person opens: a service listening on every address is reached locally. */
export function localUrl(http: { readonly host: string; readonly port: number }): string {
  return `http://${http.host === "0.0.0.0" ? "127.0.0.1" : http.host}:${http.port}`;
}

export interface StartedIngest {
  readonly service: RunningService;
  readonly config: IngestConfig;
  /** The demo key's secret, when npm start made the key. */
  readonly demoKey: string | undefined;
}

export interface StartedDashboard {
  readonly service: RunningService;
  readonly config: DashboardConfig;
  /** The demo tokens' file and the demo director's secret, when npm start made the tokens. */
  readonly demoTokens: { readonly file: string; readonly director: string | undefined } | undefined;
}

export interface Pipeline {
  readonly ingest: StartedIngest;
  readonly dashboard: StartedDashboard;
}

/**
 * Starts the four services at once (each waits only for Kafka and PostgreSQL, not for the
 * others). Every service that started is added to `running`, also when another fails, so the
 * caller stops exactly those.
 */
export async function startPipeline(
  infrastructure: Infrastructure,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  ingestKeys: Credentials,
  running: RunningService[],
): Promise<Pipeline> {
  const base: Record<string, string> = {
    ...(env as Record<string, string>),
    KAFKA_BROKERS: infrastructure.kafka.brokers.join(","),
    DATABASE_URL: infrastructure.postgres.url,
  };
  const tokens = await dashboardTokens(env, dataDir);
  const fhirSalt = await fhirPatientSalt(env, dataDir);
  const ingestEnv = { ...base, INGEST_API_KEYS: ingestKeys.value, FHIR_PATIENT_ID_SALT: fhirSalt.value };
  // All configs first: a bad variable fails the start before anything is launched.
  const ingest = serviceConfig(() => loadConfig(ingestConfig, ingestEnv));
  // The dashboard's Import page sends CSV files to this ingest with its first key, unless the
  // user pointed it elsewhere.
  const dashboardEnv = {
    ...base,
    DASHBOARD_TOKENS: tokens.value,
    DASHBOARD_INGEST_URL: env.DASHBOARD_INGEST_URL ?? localUrl(ingest.http),
    DASHBOARD_INGEST_KEY: env.DASHBOARD_INGEST_KEY ?? ingest.apiKeys[0]?.secret.reveal() ?? "",
  };
  const coding = serviceConfig(() => loadConfig(codingConfig, base));
  const aggregation = serviceConfig(() => loadConfig(aggregationConfig, base));
  const dashboard = serviceConfig(() => loadConfig(dashboardConfig, dashboardEnv));

  const launches: ServiceLaunch[] = [
    {
      name: "ingest",
      entry: "services/ingest/src/main.ts",
      env: ingestEnv,
      port: ingest.http.port,
      portVariable: "INGEST_PORT",
    },
    {
      name: "coding",
      entry: "services/coding/src/main.ts",
      env: base,
      port: coding.http.port,
      portVariable: "CODING_PORT",
    },
    {
      name: "aggregation",
      entry: "services/aggregation/src/main.ts",
      env: base,
      port: aggregation.http.port,
      portVariable: "AGGREGATION_PORT",
    },
    {
      name: "dashboard",
      entry: "dashboard/src/main.ts",
      env: dashboardEnv,
      port: dashboard.http.port,
      portVariable: "DASHBOARD_PORT",
    },
  ];
  const settled = await Promise.allSettled(launches.map((service) => launch(service, dataDir)));
  const started = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  running.push(...started);
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure !== undefined) throw failure.reason;
  const [ingestService, , , dashboardService] = started;
  // Cannot happen: nothing failed, so there is one service per launch, in order.
  if (ingestService === undefined || dashboardService === undefined) throw new Error("a service did not start");
  return {
    ingest: {
      service: ingestService,
      config: ingest,
      demoKey: ingestKeys.demoFile === undefined ? undefined : secretOf(ingestKeys.value, DEMO_INGEST_KEY),
    },
    dashboard: {
      service: dashboardService,
      config: dashboard,
      demoTokens:
        tokens.demoFile === undefined
          ? undefined
          : { file: tokens.demoFile, director: secretOf(tokens.value, DEMO_DIRECTOR) },
    },
  };
}
