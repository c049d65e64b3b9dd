import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root; relative paths in configuration are resolved against it. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const KAFKA_HOME = join(REPO_ROOT, "infra", "kafka");

export function resolveFromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(REPO_ROOT, path);
}
