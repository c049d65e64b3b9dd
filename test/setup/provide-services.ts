import { type InfrastructureConfig, infrastructureConfig, loadConfig } from "@evoke/config";
import { type Progress, provisionInfrastructure } from "@evoke/infra";
import { getContainerRuntimeClient } from "testcontainers";
import { startContainers } from "./containers.ts";

export interface ProvidedServices {
  readonly kafkaBrokers: readonly string[];
  readonly databaseUrl: string;
  readonly kafkaOrigin: string;
  readonly postgresOrigin: string;
  release(): Promise<void>;
}

const progress: Progress = {
  info: (line) => console.log(`[integration] ${line}`),
  warn: (line) => console.warn(`[integration] ${line}`),
};

async function hasContainerRuntime(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the integration suites' Kafka and PostgreSQL come from, decided per service:
 * 1. KAFKA_BROKERS / DATABASE_URL when set (CI services, a developer's own servers);
 * 2. else testcontainers, when a container runtime (Docker, Podman...) answers;
 * 3. else Evoke's local broker and embedded PostgreSQL, shared with a running `npm start`.
 */
export async function provideServices(): Promise<ProvidedServices> {
  const config: InfrastructureConfig = loadConfig(infrastructureConfig);
  const needsKafka = config.kafka.brokers === undefined;
  const needsPostgres = config.postgres.url === undefined;

  if ((needsKafka || needsPostgres) && (await hasContainerRuntime())) {
    const containers = await startContainers({ kafka: needsKafka, postgres: needsPostgres });
    const configuredOrContainers = await provisionInfrastructure(
      {
        ...config,
        kafka: { ...config.kafka, brokers: containers.kafkaBrokers ?? config.kafka.brokers },
        postgres: { ...config.postgres, url: containers.databaseUrl ?? config.postgres.url },
      },
      progress,
    );
    return {
      kafkaBrokers: configuredOrContainers.kafka.brokers,
      databaseUrl: configuredOrContainers.postgres.url,
      kafkaOrigin: needsKafka ? "testcontainers" : "KAFKA_BROKERS",
      postgresOrigin: needsPostgres ? "testcontainers" : "DATABASE_URL",
      release: async () => {
        await configuredOrContainers.release();
        await containers.stop();
      },
    };
  }

  const infrastructure = await provisionInfrastructure(config, progress);
  const origin = (endpoint: typeof infrastructure.kafka | typeof infrastructure.postgres, variable: string) =>
    endpoint.origin.kind === "configured" ? variable : `local, ${endpoint.origin.outcome}`;
  return {
    kafkaBrokers: infrastructure.kafka.brokers,
    databaseUrl: infrastructure.postgres.url,
    kafkaOrigin: origin(infrastructure.kafka, "KAFKA_BROKERS"),
    postgresOrigin: origin(infrastructure.postgres, "DATABASE_URL"),
    release: () => infrastructure.release(),
  };
}
