// One file per entity; drizzle-kit reads this index to generate migrations.
export { processedEvents } from "./processed-events.ts";
