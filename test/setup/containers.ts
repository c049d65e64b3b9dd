import { Secret } from "@evoke/config";
import { KafkaContainer, type StartedKafkaContainer } from "@testcontainers/kafka";
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from "@testcontainers/postgresql";

// Confluent Platform 8.0 is Apache Kafka 4.0 in KRaft mode, the image family
// @testcontainers/kafka 11 supports; PostgreSQL as the embedded default runs it.
const KAFKA_IMAGE = "confluentinc/cp-kafka:8.0.0";
const POSTGRES_IMAGE = "postgres:18-alpine";
/** The listener @testcontainers/kafka exposes to the host. */
const KAFKA_CLIENT_PORT = 9093;

export interface StartedContainers {
  readonly kafkaBrokers?: string[];
  readonly databaseUrl?: Secret;
  stop(): Promise<void>;
}

/** Starts the containers asked for, in parallel. Used only when a container runtime answers. */
export async function startContainers(wanted: { kafka: boolean; postgres: boolean }): Promise<StartedContainers> {
  const [kafka, postgres] = await Promise.all([
    wanted.kafka ? new KafkaContainer(KAFKA_IMAGE).withKraft().start() : undefined,
    wanted.postgres ? new PostgreSqlContainer(POSTGRES_IMAGE).withDatabase("evoke").start() : undefined,
  ]);
  return {
    ...(kafka === undefined ? {} : { kafkaBrokers: [brokerAddress(kafka)] }),
    ...(postgres === undefined ? {} : { databaseUrl: new Secret(connectionUri(postgres)) }),
    stop: async () => {
      await Promise.all([kafka?.stop(), postgres?.stop()]);
    },
  };
}

function brokerAddress(container: StartedKafkaContainer): string {
  return `${container.getHost()}:${container.getMappedPort(KAFKA_CLIENT_PORT)}`;
}

function connectionUri(container: StartedPostgreSqlContainer): string {
  return container.getConnectionUri();
}
