import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BROWSER_SUITE, findChromium, runsBrowserTests, thisMachine } from "./chromium-lookup.mjs";

/** A machine whose only executables are `files`; folders are whatever holds them. */
function machine(
  files: readonly string[],
  env: Record<string, string> = {},
  platform: NodeJS.Platform = "linux",
  homedir = "/home/ana",
) {
  return {
    env,
    platform,
    homedir,
    exists: (path: string) => files.includes(path),
    list: (folder: string) => [
      ...new Set(
        files
          .filter((file) => file.startsWith(`${folder}/`))
          .map((file) => file.slice(folder.length + 1).split("/")[0] ?? ""),
      ),
    ],
  };
}

describe("findChromium", () => {
  it("takes CHROMIUM_PATH first, and reports it rather than looking elsewhere when nothing is there", () => {
    const files = ["/usr/bin/chromium", "/opt/chrome/chrome"];
    expect(findChromium(machine(files, { CHROMIUM_PATH: "/opt/chrome/chrome" }))).toEqual({
      path: "/opt/chrome/chrome",
      source: "CHROMIUM_PATH",
    });
    expect(findChromium(machine(files, { CHROMIUM_PATH: "/opt/typo/chrome" }))).toEqual({
      path: undefined,
      reason: "CHROMIUM_PATH=/opt/typo/chrome is not an executable file",
    });
  });

  it("prefers Debian's chromium to a downloaded one", () => {
    const files = ["/usr/bin/chromium", "/home/ana/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome"];
    expect(findChromium(machine(files))).toEqual({ path: "/usr/bin/chromium", source: "system" });
  });

  it("finds Playwright's newest Chromium by revision number, in either layout", () => {
    const cache = "/home/ana/.cache/ms-playwright";
    const files = [
      `${cache}/chromium-987/chrome-linux/chrome`,
      `${cache}/chromium-1200/chrome-linux64/chrome`,
      `${cache}/chromium_headless_shell-1300/chrome-linux/headless_shell`,
      `${cache}/firefox-1500/firefox/firefox`,
    ];
    expect(findChromium(machine(files))).toEqual({
      path: `${cache}/chromium-1200/chrome-linux64/chrome`,
      source: "playwright",
    });
    expect(findChromium(machine(files.slice(0, 1)))).toMatchObject({
      path: `${cache}/chromium-987/chrome-linux/chrome`,
    });
  });

  it("looks where PLAYWRIGHT_BROWSERS_PATH and XDG_CACHE_HOME say", () => {
    const files = [
      "/srv/browsers/chromium-1100/chrome-linux/chrome",
      "/xdg/ms-playwright/chromium-1000/chrome-linux/chrome",
    ];
    expect(findChromium(machine(files, { PLAYWRIGHT_BROWSERS_PATH: "/srv/browsers" })).path).toBe(files[0]);
    expect(findChromium(machine(files, { XDG_CACHE_HOME: "/xdg" })).path).toBe(files[1]);
  });

  it("finds Puppeteer's newest Chrome by dotted version", () => {
    const cache = "/root/.cache/puppeteer/chrome";
    const files = [
      `${cache}/linux-131.0.6778.9/chrome-linux64/chrome`,
      `${cache}/linux-131.0.6778.85/chrome-linux64/chrome`,
    ];
    expect(findChromium(machine(files, {}, "linux", "/root"))).toEqual({ path: files[1], source: "puppeteer" });
  });

  it("knows macOS's applications and Linux's, not each other's", () => {
    const mac = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    expect(findChromium(machine([mac], {}, "darwin")).path).toBe(mac);
    expect(findChromium(machine([mac], {}, "linux")).path).toBeUndefined();
    expect(findChromium(machine(["/usr/bin/chromium"], {}, "darwin")).path).toBeUndefined();
  });

  it("says so when there is none", () => {
    expect(findChromium(machine([]))).toEqual({ path: undefined, reason: "no Chromium or Chrome found" });
  });
});

describe("thisMachine", () => {
  it("counts only executable files as a browser", async () => {
    const folder = await mkdtemp(join(tmpdir(), "evoke-chromium-lookup-"));
    try {
      const browser = join(folder, "chrome");
      await writeFile(browser, "#!/bin/sh\n");
      const system = thisMachine({});
      expect(system.exists(browser)).toBe(false);
      await chmod(browser, 0o755);
      expect(system.exists(browser)).toBe(true);
      expect(system.exists(folder)).toBe(false);
      expect(system.list(folder)).toEqual(["chrome"]);
      expect(system.list(join(folder, "absent"))).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("runsBrowserTests", () => {
  const root = "/home/ana/evoke";

  it("is true for a whole run and for the integration project", () => {
    expect(runsBrowserTests([], root)).toBe(true);
    expect(runsBrowserTests(["--project", "integration"], root)).toBe(true);
    expect(runsBrowserTests(["--project=unit", "--project=integration"], root)).toBe(true);
    expect(runsBrowserTests(["--project", "integ*"], root)).toBe(true);
  });

  it("is false for projects without the browser suite", () => {
    expect(runsBrowserTests(["--project", "unit"], root)).toBe(false);
    expect(runsBrowserTests(["--project=pipeline"], root)).toBe(false);
  });

  it("follows file filters as vitest does: the suite's path contains one of them", () => {
    expect(runsBrowserTests([BROWSER_SUITE], root)).toBe(true);
    expect(runsBrowserTests([`./${BROWSER_SUITE}`], root)).toBe(true);
    expect(runsBrowserTests([join(root, BROWSER_SUITE)], root)).toBe(true);
    expect(runsBrowserTests(["dashboard"], root)).toBe(true);
    expect(runsBrowserTests(["test/integration/kafka", "infra/src"], root)).toBe(false);
    expect(runsBrowserTests(["--reporter", "verbose", "test/integration/infra."], root)).toBe(false);
  });

  it("errs towards needing Chromium when an option's value is ambiguous", () => {
    // `--bail` takes no value, but telling which options do would mean copying vitest's list.
    expect(runsBrowserTests(["--bail", "test/integration/kafka"], root)).toBe(true);
  });
});
