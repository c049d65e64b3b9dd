import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { InfraError } from "./errors.ts";
import { isAlive, stopProcess } from "./processes.ts";
import { waitUntilServing } from "./readiness.ts";

export interface ServiceSpec {
  /** "ingest", "coding"... */
  readonly name: string;
  /** The TypeScript entry point, run with tsx. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Answers 200 once the service serves. */
  readonly healthUrl: string;
  readonly readyTimeoutMs?: number;
}

export interface RunningService {
  readonly name: string;
  readonly pid: number;
  /** SIGTERM, wait for a graceful stop, SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/**
 * Runs one Evoke service as a child process, its output appended to `logFile`. It gets a
 * process group of its own, so a terminal's Ctrl-C reaches only the supervisor, which stops
 * the services (each exactly once) before the infrastructure they use.
 */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  await mkdir(dirname(spec.logFile), { recursive: true });
  const output = openSync(spec.logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", spec.entry], {
    env: spec.env,
    detached: true,
    stdio: ["ignore", output, output],
  });
  closeSync(output);
  const pid = child.pid;
  if (pid === undefined)
    throw new InfraError(`The ${spec.name} service could not be launched.`, `See ${spec.logFile}.`);
  const stop = async () => {
    if (!isAlive(pid)) return;
    await stopProcess(pid, {
      signals: [
        { signal: "SIGTERM", waitMs: 15_000 },
        { signal: "SIGKILL", waitMs: 5_000 },
      ],
    });
  };
  try {
    await waitUntilServing({
      pid,
      label: `The ${spec.name} service`,
      probe: async () => {
        const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(1_000) });
        if (!response.ok) throw new Error(`${spec.healthUrl} answered ${response.status}`);
      },
      timeoutMs: spec.readyTimeoutMs ?? 60_000,
      intervalMs: 100,
      logFiles: [spec.logFile],
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: spec.name, pid, stop };
}
