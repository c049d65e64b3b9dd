import type { TestProject } from "vitest/node";
import { provideServices } from "./provide-services.ts";

/**
 * Runs once per `vitest run`, before any integration suite: brings up (or finds) the Kafka
 * broker and PostgreSQL server, hands their addresses to the suites through `inject()`, and
 * releases them at the end. Suites never share state beyond the servers themselves: each makes
 * its own topics and database (see test/support).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await provideServices();
  console.log(
    `[integration] Kafka ${services.kafkaBrokers.join(",")} (${services.kafkaOrigin}); PostgreSQL (${services.postgresOrigin})`,
  );
  project.provide("kafkaBrokers", [...services.kafkaBrokers]);
  project.provide("databaseUrl", services.databaseUrl);
  return () => services.release();
}
