#!/usr/bin/env node
// The entry point of `npm start` and `npm test` on a fresh clone. Plain JavaScript with no
// dependencies, because it runs before anything is installed: it finds pnpm (through npx when
// absent), installs the locked dependencies, then hands over to the TypeScript tooling. For
// npm test it first finds (or installs) the Chromium the browser tests drive (bootstrap/).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runsBrowserTests } from "./bootstrap/chromium-lookup.mjs";
import { judgeNode } from "./bootstrap/node-support.mjs";
import { provideChromium } from "./bootstrap/provide-chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, "");

function fail(message, hint) {
  console.error(`\n✖ ${message}\n  ${hint}`);
  process.exit(1);
}

function checkNode() {
  const node = judgeNode(process.versions.node);
  if (node.verdict === "refuse") fail(node.message, node.hint);
  if (node.verdict === "warn") console.warn(`\n⚠ ${node.message}`);
}

/** The pnpm command line to use: a pnpm 10 on the PATH, else the pinned one through npx. */
function pnpm() {
  const found = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim().startsWith("10.")) return ["pnpm"];
  // corepack's signature check fails against some registries; npx needs no signature.
  return ["npx", "--yes", `pnpm@${pnpmVersion}`];
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error?.code === "ENOENT")
    fail(`${command} was not found.`, "It ships with Node.js; check your Node installation and PATH.");
  return result.status ?? 1;
}

function install() {
  const [command, ...prefix] = pnpm();
  const status = run(command, [...prefix, "install", "--frozen-lockfile", "--prefer-offline"]);
  if (status !== 0) {
    fail(
      "Installing dependencies with pnpm failed (see above).",
      "Check the network and the npm registry settings (~/.npmrc); if pnpm-lock.yaml was edited by hand, run pnpm install to refresh it.",
    );
  }
}

const bin = (tool) => join(root, "node_modules", ".bin", tool);

/** Runs a long-lived child that owns the terminal, passing signals on and its exit code out. */
function handOver(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: "inherit" });
  // Ctrl-C reaches the child directly (same process group); a SIGTERM sent to npm or to us
  // does not, so pass it on. Either way we wait for the child to finish its shutdown.
  process.on("SIGINT", () => undefined);
  // Once, however many ways the stop reaches us (`pkill -f` signals us and our shell together):
  // a second signal would make Evoke skip its orderly shutdown and leave its servers running.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  // `kill <npm pid>` ends npm and its shell without telling us: treat losing our parent the
  // same way, rather than leave Evoke running with nobody attached.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphanWatch);
    stop();
  }, 500);
  child.on("exit", (code, signal) => {
    clearInterval(orphanWatch);
    process.exit(code ?? (signal === "SIGINT" ? 130 : 1));
  });
}

function step(title, command, args, env = process.env) {
  console.log(`\n▸ ${title}`);
  const status = run(command, args, { env });
  if (status !== 0) process.exit(status);
}

/**
 * The Chromium for the browser tests, found or installed before anything else runs, and
 * handed to them as CHROMIUM_PATH. Runs that cannot include those tests skip the search.
 */
function chromiumEnvironment(vitestArgs) {
  if (!runsBrowserTests(vitestArgs, root)) return process.env;
  const chromium = provideChromium();
  if (chromium.path === undefined) fail(chromium.problem, chromium.hint);
  return { ...process.env, CHROMIUM_PATH: chromium.path };
}

checkNode();
const [command = "start", ...args] = process.argv.slice(2);
if (command === "start") {
  install();
  handOver(process.execPath, ["--import", "tsx", join(root, "infra", "src", "cli.ts"), "start", ...args]);
} else if (command === "test") {
  const testEnvironment = chromiumEnvironment(args);
  install();
  step("lint and format (biome ci)", bin("biome"), ["ci", "."]);
  step("type-check (tsc)", bin("tsc"), ["-p", "tsconfig.json"]);
  step(
    "tests (vitest: unit; integration against a real Kafka broker and PostgreSQL; the whole pipeline end to end and under faults)",
    bin("vitest"),
    ["run", ...args],
    testEnvironment,
  );
} else {
  fail(`Unknown command "${command}".`, "Use: node infra/bootstrap.mjs start|test");
}
