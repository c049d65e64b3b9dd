import { defineConfig } from "vitest/config";

/*
 * Three projects. `unit` needs nothing running and lives beside the code (`*.test.ts`).
 * `integration` lives in test/integration and talks to a real Kafka broker and a real
 * PostgreSQL server, provided once for the run by test/setup/global-setup.ts. `pipeline`
 * (test/e2e, test/resilience) runs whole pipelines of its own, after the others.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/src/**/*.test.ts",
            "services/*/src/**/*.test.ts",
            "dashboard/src/**/*.test.{ts,tsx}",
            "infra/src/**/*.test.ts",
            "infra/bootstrap/**/*.test.ts",
            "cli/src/**/*.test.ts",
            "test/architecture/**/*.test.ts",
          ],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/setup/global-setup.ts"],
          testTimeout: 60_000,
          // Suites create databases, topics and sometimes whole brokers of their own.
          hookTimeout: 180_000,
          // Integration suites mostly wait on servers and child processes, not the CPU: run
          // more of them at once than the default (cores - 1) would on a 2-core machine.
          maxWorkers: 4,
          // Unit tests run first (group 0): a broken unit fails fast, before servers start.
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "pipeline",
          // End to end and under faults: each file runs the whole pipeline (four services, a
          // broker and a PostgreSQL of its own, test/support/live-pipeline.ts). Run after the
          // integration suites (group 2), not beside them: on two cores, their CPU made other
          // suites' waits time out, and theirs.
          include: ["test/e2e/**/*.test.ts", "test/resilience/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 240_000,
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
