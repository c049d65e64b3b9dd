import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "@evoke/infra";
import { expect } from "vitest";
import { freePort } from "./ports.ts";

export { freePort };

const INFRA_CLI = join(REPO_ROOT, "infra", "src", "cli.ts");
const MI_CLI = join(REPO_ROOT, "cli", "src", "mi.ts");

export interface CliRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits until standard output contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `pnpm infra <args>` as its own process (as `npm start` does), with only the given
 * Evoke variables set, so the user's KAFKA_BROKERS or DATABASE_URL cannot leak in.
 */
export function runInfraCli(args: readonly string[], env: Readonly<Record<string, string>>): CliRun {
  return runScript(INFRA_CLI, args, env);
}

/**
 * `pnpm infra <args>` of another checkout of Evoke (its own code and node_modules), run from
 * its root; through `runAs` (e.g. ["sudo", "-n"]) when given, with the variables passed by
 * `env(1)`, since sudo does not pass them on.
 */
export function runInfraCliOf(
  repository: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  runAs: readonly string[] = [],
): CliRun {
  const script = join(repository, "infra", "src", "cli.ts");
  if (runAs.length === 0) return runScript(script, args, env, repository);
  const variables = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return runCommand(
    [...runAs, "env", ...variables, process.execPath, "--import", "tsx", script, ...args],
    env,
    repository,
  );
}

/** Runs `pnpm mi <args>` as its own process, likewise with only the given Evoke variables. */
export function runMiCli(args: readonly string[], env: Readonly<Record<string, string>>): CliRun {
  return runScript(MI_CLI, args, env);
}

/** This process's environment without any Evoke variable, plus `env`. */
export function evokeEnv(env: Readonly<Record<string, string>>): Record<string, string | undefined> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(KAFKA_|DATABASE_URL|DATABASE_SSL_|EMBEDDED_POSTGRES_|EVOKE_|INGEST_|CODING_|AGGREGATION_|TRANSCRIPT_|DASHBOARD_)/.test(
          name,
        ),
    ),
  );
  return { ...inherited, ...env };
}

function runScript(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd = REPO_ROOT,
): CliRun {
  return runCommand([process.execPath, "--import", "tsx", script, ...args], env, cwd);
}

function runCommand(commandLine: readonly string[], env: Readonly<Record<string, string>>, cwd: string): CliRun {
  const [command = "", ...args] = commandLine;
  const child = spawn(command, args, { cwd, env: evokeEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exit = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForOutput: async (text, timeoutMs = 120_000) => {
      await expect
        .poll(() => stdout, { timeout: timeoutMs, interval: 100, message: `waiting for "${text}"; stderr: ${stderr}` })
        .toContain(text);
    },
    exit,
  };
}

/**
 * A throwaway EVOKE_DATA_DIR with ports of its own, so the run cannot touch anyone else's servers.
 * Without the demo clinic (EVOKE_DEMO=0): a test that wants it says so.
 */
export async function isolatedInfrastructure(): Promise<{
  env: Record<string, string>;
  dataDir: string;
  remove(): Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), "evoke-infra-"));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const env = {
    EVOKE_DATA_DIR: dataDir,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    INGEST_PORT: String(await freePort()),
    CODING_PORT: String(await freePort()),
    AGGREGATION_PORT: String(await freePort()),
    DASHBOARD_PORT: String(await freePort()),
    EVOKE_DEMO: "0",
    LOG_LEVEL: "warn",
  };
  return { env, dataDir, remove: () => rm(dataDir, { recursive: true, force: true }) };
}
