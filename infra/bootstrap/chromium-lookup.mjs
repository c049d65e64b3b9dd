// Which Chromium the dashboard's browser tests drive, and whether a test run needs one. Pure
// functions over what they are given (environment, file checks, platform; thisMachine() is
// the real one), so bootstrap.mjs, test/support/browser.ts and the unit tests share one answer. Plain JavaScript with no
// dependencies: bootstrap.mjs imports it before anything is installed.
import { accessSync, constants, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, posix } from "node:path";

/** The suite that launches a browser: npm test only needs Chromium when the run includes it. */
export const BROWSER_SUITE = "test/integration/dashboard.in-a-browser.test.ts";

/** Browsers installed system-wide, per platform, in order of preference. */
const SYSTEM_BROWSERS = {
  linux: [
    "/usr/bin/chromium", // Debian's chromium package
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome-stable",
    "/usr/bin/google-chrome",
  ],
  darwin: [
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  ],
};

/*
 * Browsers that Playwright (`npx playwright install chromium`) and Puppeteer download into
 * their caches: <cache>/<folder>-<version>/<executable>. The layout inside changed over the
 * years (chrome-linux before Chrome for Testing, chrome-linux64 after), so each is listed.
 */
const CACHED_BROWSERS = {
  linux: [
    { cache: "playwright", folder: "chromium-", executables: ["chrome-linux64/chrome", "chrome-linux/chrome"] },
    { cache: "puppeteer", folder: "chrome/linux-", executables: ["chrome-linux64/chrome"] },
  ],
  darwin: [
    {
      cache: "playwright",
      folder: "chromium-",
      executables: [
        "chrome-mac/Chromium.app/Contents/MacOS/Chromium",
        "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
      ],
    },
    {
      cache: "puppeteer",
      folder: "chrome/mac_arm-",
      executables: ["chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing"],
    },
    {
      cache: "puppeteer",
      folder: "chrome/mac-",
      executables: ["chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing"],
    },
  ],
};

/** Where each tool keeps its downloads: its own variable, else its default per platform. */
function cacheFolder(cache, { env, platform, homedir }) {
  if (cache === "playwright") {
    // "0" means "inside node_modules", which playwright-core cannot fill here: not searched.
    if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== "0") return env.PLAYWRIGHT_BROWSERS_PATH;
    return platform === "darwin"
      ? join(homedir, "Library", "Caches", "ms-playwright")
      : join(env.XDG_CACHE_HOME || join(homedir, ".cache"), "ms-playwright");
  }
  return env.PUPPETEER_CACHE_DIR || join(homedir, ".cache", "puppeteer");
}

/** Newest first: "1200" after "987", "131.0.6778.85" after "131.0.6778.9". */
function newestFirst(a, b) {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (right[index] ?? 0) - (left[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function cachedCandidates(system) {
  const candidates = [];
  for (const { cache, folder, executables } of CACHED_BROWSERS[system.platform] ?? []) {
    const base = join(cacheFolder(cache, system), posix.dirname(folder));
    const prefix = posix.basename(folder);
    const versions = system
      .list(base)
      .filter((name) => name.startsWith(prefix) && /^[\d.]+$/.test(name.slice(prefix.length)))
      .map((name) => name.slice(prefix.length))
      .sort(newestFirst);
    for (const version of versions) {
      for (const executable of executables) candidates.push(join(base, `${prefix}${version}`, executable));
    }
  }
  return candidates;
}

/**
 * The Chromium to use: CHROMIUM_PATH when set (and nothing else, so a typo is reported rather
 * than silently replaced), else a system browser, else one from Playwright's or Puppeteer's
 * cache. `system` is { env, platform, homedir, exists(path): whether an executable file is
 * there, list(folder): the names in it ([] when absent) }. Returns { path, source } when
 * found, else { path: undefined, reason }.
 */
export function findChromium(system) {
  const configured = system.env.CHROMIUM_PATH;
  if (configured) {
    return system.exists(configured)
      ? { path: configured, source: "CHROMIUM_PATH" }
      : { path: undefined, reason: `CHROMIUM_PATH=${configured} is not an executable file` };
  }
  for (const path of SYSTEM_BROWSERS[system.platform] ?? []) {
    if (system.exists(path)) return { path, source: "system" };
  }
  for (const path of cachedCandidates(system)) {
    if (system.exists(path)) return { path, source: path.includes("ms-playwright") ? "playwright" : "puppeteer" };
  }
  return { path: undefined, reason: "no Chromium or Chrome found" };
}

/** This machine, as findChromium sees it. */
export function thisMachine(env = process.env) {
  return {
    env,
    platform: process.platform,
    homedir: homedir(),
    exists: (path) => {
      try {
        accessSync(path, constants.X_OK);
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    list: (folder) => {
      try {
        return readdirSync(folder);
      } catch {
        return [];
      }
    },
  };
}

/** Vitest options whose value is the next argument (`--project unit`), not a file filter. */
function takesValue(argument) {
  return argument.startsWith("-") && !argument.includes("=");
}

/**
 * Whether `vitest run <args>` may run the browser suite. Errs towards yes: only a --project
 * list without "integration", or file filters none of which matches the suite, say no.
 * Vitest's filters match when the file's path contains them.
 */
export function runsBrowserTests(vitestArgs, root) {
  const projects = [];
  const filters = [];
  for (let index = 0; index < vitestArgs.length; index++) {
    const argument = vitestArgs[index];
    const [flag, inlineValue] = argument.split(/=(.*)/s);
    if (flag === "--project") {
      const value = inlineValue ?? vitestArgs[++index];
      if (value !== undefined) projects.push(value);
    } else if (takesValue(argument)) {
      // A boolean flag followed by a file filter loses the filter here: that only makes the
      // answer "yes" more often, never wrongly "no".
      index++;
    } else if (!argument.startsWith("-")) {
      filters.push(argument);
    }
  }
  // Wildcards and exclusions ("integ*", "!unit") may well include it.
  const mayIncludeIntegration = projects.some((project) => project === "integration" || /[*!?]/.test(project));
  if (projects.length > 0 && !mayIncludeIntegration) return false;
  if (filters.length === 0) return true;
  const suite = join(root, BROWSER_SUITE);
  return filters.some((filter) => suite.includes(filter.replace(/^\.\//, "")));
}
