import { defineConfig } from "vitest/config";

/*
 * Two projects. `unit` needs nothing running and lives beside the code (`*.test.ts`).
 * `integration` lives in test/integration and talks to a real Kafka broker and a real
 * PostgreSQL server, provided once for the run by test/setup/global-setup.ts.
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
          ],
        },
      },
      {
        test: {
          name: "integration",
          // The end-to-end and resilience suites run whole pipelines of their own beside them.
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts", "test/resilience/**/*.test.ts"],
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
    ],
  },
});
