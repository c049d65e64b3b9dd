// npm test's browser: the Chromium already on the machine, else Debian's package installed
// with apt-get when we may (root, or sudo without a password). Decided in the first seconds,
// so a machine that has none is told so before ten minutes of other suites, not after.
import { spawnSync } from "node:child_process";
import { findChromium, thisMachine } from "./chromium-lookup.mjs";

const succeeds = (command, args) => spawnSync(command, args, { stdio: "ignore" }).status === 0;

/** How to run apt-get as root from here: [] as root, ["sudo", "-n"] with password-less sudo. */
function rootPrefix() {
  if (process.getuid?.() === 0) return [];
  return succeeds("sudo", ["-n", "true"]) ? ["sudo", "-n"] : undefined;
}

/** The last line apt-get printed on its standard error, for a one-line failure. */
function lastError(result) {
  const lines = `${result.stderr ?? ""}`.trim().split("\n");
  return lines.at(-1) || `exit status ${result.status}`;
}

/**
 * Installs Debian's chromium package. Returns undefined when it did, else why not. A first
 * failure is often a stale package index (fresh containers have none): update and retry once.
 */
export function installChromiumWithApt() {
  if (process.platform !== "linux" || !succeeds("apt-get", ["--version"])) return "apt-get is not available here";
  const prefix = rootPrefix();
  if (prefix === undefined) return "installing needs root or password-less sudo";
  console.log("\n▸ installing Chromium for the dashboard's browser tests (apt-get install chromium)…");
  const [command, ...prefixArgs] = [...prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"];
  const aptGet = (...args) =>
    spawnSync(command, [...prefixArgs, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  let result = aptGet("install", "-y", "-q", "chromium");
  if (result.status !== 0) {
    aptGet("update", "-q");
    result = aptGet("install", "-y", "-q", "chromium");
  }
  return result.status === 0 ? undefined : `apt-get install chromium failed: ${lastError(result)}`;
}

/**
 * The Chromium executable for the browser tests, installing one when possible. Returns
 * { path } or { problem, hint } for bootstrap.mjs to report.
 */
export function provideChromium(machine = thisMachine()) {
  const found = findChromium(machine);
  if (found.path !== undefined) return { path: found.path };
  const hint =
    "Install Chromium (sudo apt-get install chromium, or npx playwright install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable; npm test -- --project unit needs none.";
  // A CHROMIUM_PATH that points nowhere is a mistake to report, not a reason to install.
  if (machine.env.CHROMIUM_PATH)
    return {
      problem: `The dashboard's browser tests need Chromium: ${found.reason}.`,
      hint: "Point CHROMIUM_PATH at a Chromium or Chrome executable, or unset it to use (or install) Debian's chromium.",
    };
  const notInstalled = installChromiumWithApt();
  const installed = findChromium(machine);
  if (installed.path !== undefined) return { path: installed.path };
  return {
    problem: `The dashboard's browser tests need Chromium: ${found.reason}, and ${notInstalled ?? "the chromium package installed none"}.`,
    hint,
  };
}
