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
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/setup/global-setup.ts"],
          testTimeout: 60_000,
          // Suites create databases, topics and sometimes whole brokers of their own.
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
