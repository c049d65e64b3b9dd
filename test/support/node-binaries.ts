import { execFile } from "node:child_process";
import { readdir, readFile, readlink, realpath } from "node:fs/promises";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * The path of an official Node.js binary of `major`, from the npm registry's `node` package
 * (npx downloads it once, then reuses its cache): how a Node 20 machine runs Evoke under the
 * supported LTS lines.
 */
export async function nodeBinary(major: number): Promise<string> {
  const { stdout } = await execFileAsync("npx", ["--yes", `node@${major}`, "-p", "process.execPath"], {
    timeout: 180_000,
  });
  return realpath(stdout.trim());
}

/** The command lines of the processes running `binary` with `variable=value` in their environment. */
export async function commandsRunning(binary: string, variable: string, value: string): Promise<string[]> {
  const commands: string[] = [];
  for (const pid of (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry))) {
    try {
      if ((await readlink(`/proc/${pid}/exe`)) !== binary) continue;
      const environment = (await readFile(`/proc/${pid}/environ`, "utf8")).split("\0");
      if (!environment.includes(`${variable}=${value}`)) continue;
      commands.push((await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ").trim());
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return commands;
}
