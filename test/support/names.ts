import { randomBytes } from "node:crypto";

/**
 * A name no other suite or run will use: `<label>-<8 hex>`. Suites run in parallel against
 * the same broker and server, so every topic, group and database they make carries one.
 */
export function uniqueName(label: string, separator = "-"): string {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .slice(0, 40);
  return `${safe}${separator}${randomBytes(4).toString("hex")}`;
}
