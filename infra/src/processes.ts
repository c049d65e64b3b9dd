import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (e.g. postgres run as its own user).
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command line a process was started with, or undefined when it is gone. */
export async function commandLine(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ").trim();
  } catch {
    // No procfs (macOS): ask ps.
    try {
      const { stdout } = await execFileAsync("ps", ["-o", "command=", "-p", String(pid)]);
      return stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * Whether `pid` is alive and still the process we started: after a reboot the number may
 * belong to something else, which we must never signal.
 */
export async function isProcessRunning(pid: number, marker: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  return (await commandLine(pid))?.includes(marker) ?? false;
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

export interface StopPlan {
  /** Signals to send in turn, each followed by a wait for the process to exit. */
  readonly signals: readonly { readonly signal: NodeJS.Signals; readonly waitMs: number }[];
}

/** Sends each signal of the plan in turn until the process has exited. */
export async function stopProcess(pid: number, plan: StopPlan): Promise<void> {
  for (const { signal, waitMs } of plan.signals) {
    if (!isAlive(pid)) return;
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return;
      throw error;
    }
    if (await waitForExit(pid, waitMs)) return;
  }
  if (isAlive(pid)) throw new Error(`process ${pid} did not exit`);
}
