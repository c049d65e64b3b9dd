import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { InfraError, reason } from "./errors.ts";
import { isAlive, stopProcess } from "./processes.ts";

export interface ReadinessOptions {
  /** The server process just launched. */
  readonly pid: number;
  /** Shown in messages: "The Kafka broker", "The embedded PostgreSQL". */
  readonly label: string;
  /** Resolves once the server answers; rejects while it does not yet. */
  readonly probe: () => Promise<unknown>;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** The logs whose last lines explain a failed start. */
  readonly logFiles: readonly string[];
}

/** The last lines of each log that has any, headed by its path. */
async function lastLines(files: readonly string[], count: number): Promise<string> {
  const tails = await Promise.all(
    files.map(async (file) => {
      const text = (await readFile(file, "utf8").catch(() => "")).trimEnd();
      return text === "" ? "" : `${file}:\n${text.split("\n").slice(-count).join("\n")}`;
    }),
  );
  return tails.filter((tail) => tail !== "").join("\n") || "(the logs are empty)";
}

/**
 * Waits until a freshly launched server answers its probe. Fails at once, quoting its log,
 * if the process exits; after `timeoutMs` kills it (a half-started server must not linger on
 * its ports) and fails with the probe's last error.
 */
export async function waitUntilServing(options: ReadinessOptions): Promise<void> {
  const { pid, label, probe, timeoutMs, intervalMs, logFiles } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new InfraError(`${label} exited during start-up.`, `Its logs end with:\n${await lastLines(logFiles, 5)}`);
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(intervalMs);
    }
  }
  await stopProcess(pid, { signals: [{ signal: "SIGKILL", waitMs: 5_000 }] });
  throw new InfraError(
    `${label} did not answer within ${timeoutMs / 1000} s (${reason(lastError)}).`,
    `See ${logFiles.join(" and ")}. A slow machine may need longer: start it again.`,
  );
}
