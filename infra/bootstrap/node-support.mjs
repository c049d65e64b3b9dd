// Which Node.js versions Evoke runs on, judged before anything is installed (plain JavaScript,
// like the rest of bootstrap/). Supported: the LTS lines 22 and 24 (package.json's engines,
// .nvmrc). Node 20 is past end of life but still runs Evoke, and CI machines here have only it:
// a warning, not a refusal. Older than 20.19 cannot load the dependencies: a refusal.

/** The oldest Node that can still run Evoke at all (vitest 4, require(esm)). */
export const OLDEST_RUNNABLE = [20, 19];
/** The supported range, as package.json's engines states it. */
export const SUPPORTED = ">=22.12 <25";

/**
 * The verdict on a Node version ("20.20.2"): `ok`, `warn` (runs, with a line to print) or
 * `refuse` (with the line and what to do).
 */
export function judgeNode(version) {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const install = "Install Node.js 24 LTS (https://nodejs.org, or nvm install, which reads .nvmrc).";
  if (major < OLDEST_RUNNABLE[0] || (major === OLDEST_RUNNABLE[0] && minor < OLDEST_RUNNABLE[1])) {
    return {
      verdict: "refuse",
      message: `Node.js ${version} is too old: Evoke needs Node.js 22 or 24 (${SUPPORTED}).`,
      hint: install,
    };
  }
  if (major < 22 || (major === 22 && minor < 12)) {
    return {
      verdict: "warn",
      message: `Node.js ${version} is past end of life and no longer supported (Evoke supports Node.js 22 and 24, ${SUPPORTED}); running anyway. ${install}`,
    };
  }
  if (major >= 25) {
    return {
      verdict: "warn",
      message: `Node.js ${version} is newer than Evoke is tested on (Node.js 22 and 24); running anyway.`,
    };
  }
  return { verdict: "ok" };
}
