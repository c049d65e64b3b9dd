import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` writes a new SQL migration into ./migrations from the schema's diff.
// Generated migrations are committed and never edited once released.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
