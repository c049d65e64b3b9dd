import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Secret } from "@evoke/config";
import { createDashboardApp } from "@evoke/dashboard";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, describeViolations } from "../support/accessibility.ts";
import { artifactsFolder, launchChromium } from "../support/browser.ts";
import { DEMO_NOW, dashboardTokens, parseCsv, seedDemoClinic, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * The dashboard in a real browser (Debian's Chromium) against a real server and database with
 * the demo clinic: every page renders its charts as SVG with the expected marks and no console
 * error (a CSP violation is one), filters change the URL and the chart, tooltips answer the
 * keyboard, CSV downloads parse, sign-in and role limits hold. Every page, at a laptop's
 * 1366×768 and a phone's 390×844, has no WCAG 2.1 A/AA violation axe-core can find and no
 * sideways scrolling; screenshots of each are kept in test/artifacts/dashboard (git-ignored).
 */

/** Each page with the Plot marks (their aria-labels) its charts must draw. */
const PAGES: { path: string; name: string; marks: string[] }[] = [
  { path: "/overview", name: "overview", marks: ["dot", "rule", "line", "area"] },
  { path: "/readiness", name: "readiness", marks: ["dot", "line", "area"] },
  { path: "/retention", name: "retention", marks: ["line", "area", "dot"] },
  { path: "/qi", name: "qi", marks: ["line", "dot", "rule"] },
  { path: "/therapists", name: "therapists", marks: ["dot", "rule"] },
  { path: "/therapists/thr_demo_01", name: "therapist", marks: ["line", "dot", "area"] },
  { path: "/cohorts", name: "cohorts", marks: ["dot", "rule", "line", "area"] },
  { path: "/sessions", name: "sessions", marks: [] },
  { path: "/agreement", name: "agreement", marks: ["dot", "rule"] },
  { path: "/pipeline", name: "pipeline", marks: ["line", "dot"] },
  { path: "/audit", name: "audit", marks: [] },
  { path: "/import", name: "import", marks: [] },
];

/** The two screens the pages are judged on: a common laptop and a common phone. */
const VIEWPORTS = [
  { label: "1366", width: 1366, height: 768 },
  { label: "390", width: 390, height: 844 },
] as const;

/** Whether the page is wider than the window (the reader would have to scroll sideways). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

describe("the dashboard in a browser", () => {
  let database: TestDatabase;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;
  let artifacts: string;
  const contexts: BrowserContext[] = [];

  /** A signed-in page, collecting console errors and failed requests. */
  async function signedIn(
    token: string,
    options: { javaScriptEnabled?: boolean } = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      acceptDownloads: true,
      javaScriptEnabled: options.javaScriptEnabled ?? true,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${base}/overview`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/overview/);
    return { page, problems };
  }

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_browser");
    await seedDemoClinic(database.db, { clients: 120 });
    const app = createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => DEMO_NOW,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-browser-test", level: "silent" }),
      // The Import page shows its form; nothing is uploaded in this suite.
      ingest: { url: "http://127.0.0.1:9", apiKey: new Secret("not-used-by-this-suite") },
    });
    server = await new Promise((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    artifacts = await artifactsFolder("dashboard");
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  it("renders every page with its charts' marks and no console error", async () => {
    const { page, problems } = await signedIn(TOKENS.director);
    for (const { path, marks } of PAGES) {
      await page.goto(`${base}${path}`);
      expect(await page.locator("h1").textContent(), path).not.toMatch(/not found|could not/i);
      for (const mark of marks) {
        const count = await page.locator(`svg.chart g[aria-label="${mark}"] > *`).count();
        expect(count, `${path}: ${mark} marks`).toBeGreaterThan(0);
      }
      // Every chart has a title, axis labels (Plot's axis label text) and a description.
      for (const chart of await page.locator("figure.panel").all()) {
        expect(await chart.locator("h2").textContent()).toBeTruthy();
        expect(await chart.locator("svg.chart").getAttribute("aria-label")).toBeTruthy();
        expect(await chart.locator("summary", { hasText: "Table view" }).count()).toBe(1);
        expect(await chart.locator("a", { hasText: "Download CSV" }).count()).toBe(1);
      }
    }
    await page.goto(`${base}/sessions`);
    const session = await page.locator("table a[href^='/sessions/']").first().getAttribute("href");
    await page.goto(`${base}${session}`);
    expect(await page.locator("svg.chart g[aria-label='tick'] > *").count()).toBe(4);
    expect(await page.locator(".transcript .code").count()).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 240_000);

  it("keeps every page readable at 1366 and 390 px wide: a screenshot each, no sideways scrolling, no WCAG 2.1 AA violation axe finds", async () => {
    const { page, problems } = await signedIn(TOKENS.director);
    await page.goto(`${base}/sessions`);
    const session = await page.locator("table a[href^='/sessions/']").first().getAttribute("href");
    const pages = [
      ...PAGES,
      { path: session ?? "/sessions/none", name: "session" },
      { path: "/help/data", name: "help" },
      { path: "/sessions/ses_never_heard_of", name: "not-found" },
    ];
    const signIn = await (await browser.newContext()).newPage();
    const failures: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await signIn.setViewportSize(viewport);
      for (const { path, name } of [...pages, { path: "/sign-in", name: "sign-in" }]) {
        const tab = name === "sign-in" ? signIn : page;
        await tab.goto(`${base}${path}`);
        await tab.screenshot({ path: join(artifacts, `${name}-${viewport.label}.png`), fullPage: true });
        if (await scrollsSideways(tab)) failures.push(`${path} at ${viewport.label} px: scrolls sideways`);
        // Table views open, so their tables are checked too.
        await tab.evaluate(() => {
          for (const details of document.querySelectorAll("details")) details.open = true;
        });
        if (await scrollsSideways(tab)) failures.push(`${path} at ${viewport.label} px, tables open: scrolls sideways`);
        const violations = describeViolations(await accessibilityViolations(tab));
        failures.push(...violations.map((violation) => `${path} at ${viewport.label} px: ${violation}`));
      }
    }
    await signIn.context().close();
    expect(failures).toEqual([]);
    // The not-found page answers 404 (a console error and a failed response), nothing else.
    expect(problems.filter((problem) => !/ses_never_heard_of|status of 404/.test(problem))).toEqual([]);
  }, 300_000);

  it("sorts and pages the session list with plain links (no script), dates readable, no raw column names", async () => {
    const { page, problems } = await signedIn(TOKENS.director, { javaScriptEnabled: false });
    await page.goto(`${base}/sessions`);
    const headings = await page.locator("table.sessions thead th").allTextContents();
    expect(headings.map((heading) => heading.replace(/[▲▼]/g, "").trim())).toEqual([
      "Date",
      "Therapist",
      "Client",
      "Technical",
      "Relational",
      "%CR",
      "R:Q",
      "Coded by",
    ]);
    expect(await page.locator("table.sessions th[aria-sort='descending']").textContent()).toContain("Date");
    const firstDate = page.locator("table.sessions tbody tr time").first();
    expect(await firstDate.textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2} 20\d\d$/);
    expect(await firstDate.getAttribute("datetime")).toMatch(/^20\d\d-\d\d-\d\dT/);
    expect(await page.locator("table.sessions .badge").count()).toBeGreaterThan(0);

    // Technical, lowest first: a heading is a link.
    await page.locator("table.sessions thead").getByRole("link", { name: "Technical" }).click();
    await page.waitForURL(/sort=technical/);
    expect(await page.locator("table.sessions th[aria-sort='ascending']").textContent()).toContain("Technical");
    const technical = async () =>
      (await page.locator("table.sessions tbody td[data-label='Technical']").allTextContents()).map((cell) =>
        Number.parseFloat(cell),
      );
    const ascending = await technical();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    // Again: highest first.
    await page.locator("table.sessions thead").getByRole("link", { name: "Technical" }).click();
    await page.waitForURL(/order=desc/);
    const descending = await technical();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(descending[0]).toBeGreaterThan(ascending[0] as number);

    // The next page keeps the order and carries on from where the first stopped.
    await page.getByRole("navigation", { name: "Pages of sessions" }).getByRole("link", { name: "Next" }).click();
    await page.waitForURL(/page=2/);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("technical");
    const next = await technical();
    expect(next[0]).toBeLessThanOrEqual(descending.at(-1) as number);
    expect(await page.locator(".pager [aria-current='page']").textContent()).toMatch(/^Page 2 of \d+$/);

    // A selection with no sessions says where sessions come from.
    await page.goto(`${base}/sessions?from=2031-01-01`);
    expect(await page.locator(".empty-state").textContent()).toContain("evoke.transcript.submitted");
    expect(problems).toEqual([]);
  });

  it("puts a filter change in the URL and redraws the chart", async () => {
    const { page, problems } = await signedIn(TOKENS.director);
    await page.goto(`${base}/readiness`);
    const before = await page.locator("#association svg.chart").getAttribute("aria-label");
    await page.getByLabel("Fidelity measure").selectOption("relational");
    await page.waitForURL(/measure=relational/);
    // Blank filters stay out of the address.
    expect(new URL(page.url()).searchParams.has("from")).toBe(false);
    const after = await page.locator("#association svg.chart").getAttribute("aria-label");
    expect(before).toContain("Technical");
    expect(after).toContain("Relational");

    await page.goto(`${base}/overview`);
    expect(await page.locator(".card").count()).toBe(3);
    await page.getByLabel("Programme").selectOption("prg_diet");
    await page.waitForURL(/programme=prg_diet/);
    expect(await page.locator(".card").count()).toBe(1);
    expect(await page.locator(".card > h2").textContent()).toContain("Healthy eating");
    // The address alone reproduces the view.
    const shared = page.url();
    await page.goto(`${base}/sessions`);
    await page.goto(shared);
    expect(await page.getByLabel("Programme").inputValue()).toBe("prg_diet");
    expect(problems).toEqual([]);
  });

  it("shows a chart mark's tooltip on keyboard focus", async () => {
    const { page } = await signedIn(TOKENS.director);
    await page.goto(`${base}/qi`);
    const mark = page.locator("#qi-chart svg.chart [tabindex='0']").first();
    await mark.focus();
    const tooltip = page.locator(".tooltip");
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toBe(await mark.locator("title").textContent());
    await page.keyboard.press("Escape");
    await expect.poll(() => tooltip.isVisible()).toBe(false);
    // The skip link is the first stop for keyboard users.
    await page.goto(`${base}/qi`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
  });

  it("lets the keyboard change filters without a reload at every key, and applies them with Apply", async () => {
    const { page, problems } = await signedIn(TOKENS.director);
    await page.goto(`${base}/overview`);
    const programme = page.getByLabel("Programme");
    await programme.focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await programme.inputValue()).not.toBe("");
    // Typing a date, key by key, must not reload the page at the first valid-looking year.
    await page.getByLabel("From").focus();
    await page.keyboard.type("03012026");
    await page.waitForTimeout(300);
    expect(new URL(page.url()).search).toBe("");
    await page.getByRole("button", { name: "Apply" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/programme=/);
    expect(new URL(page.url()).searchParams.get("from")).toBe("2026-03-01");
    expect(problems).toEqual([]);
  });

  it("downloads each chart's data as CSV that matches its table view", async () => {
    const { page } = await signedIn(TOKENS.director);
    await page.goto(`${base}/therapists`);
    const panel = page.locator("#therapists-technical");
    const download = page.waitForEvent("download");
    await panel.getByRole("link", { name: "Download CSV" }).click();
    const file = await (await download).path();
    const rows = parseCsv(await readFile(file, "utf8"));
    await panel.locator("summary").click();
    const tableRows = await panel.locator(".table-view tbody tr").count();
    expect(rows.length - 1).toBe(tableRows);
    expect(rows[0]?.slice(0, 3)).toEqual(["group", "label", "sessions"]);
    expect(tableRows).toBe(12);
  });

  it("holds the role limits: an analyst sees no transcript words and no pipeline page", async () => {
    const { page } = await signedIn(TOKENS.smokingAnalyst);
    expect(await page.locator("header nav a", { hasText: "Pipeline health" }).count()).toBe(0);
    expect(await page.getByLabel("Programme").locator("option").allTextContents()).toEqual([
      "All my programmes",
      "Stop smoking service",
    ]);
    const response = await page.goto(`${base}/pipeline`);
    expect(response?.status()).toBe(403);
    await page.goto(`${base}/sessions`);
    await page.locator("table a[href^='/sessions/']").first().click();
    await expect.poll(() => page.locator(".notice").textContent()).toContain("not the words");
    expect(await page.locator(".transcript .code").count()).toBeGreaterThan(0);
    expect(await page.locator(".transcript", { hasText: "(text not shown)" }).count()).toBe(1);

    // Signing out ends the session: the pages send the browser back to sign in.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${base}/overview`);
    await page.waitForURL(/\/sign-in\?next=/);
  });

  it("refuses a wrong token at sign-in and says so", async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Token").fill("certainly-not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("not valid");
    expect((await context.cookies()).length).toBe(0);
  });

  it("keeps a cohort comparison in its link and shares annotations between users", async () => {
    const { page, problems } = await signedIn(TOKENS.director);
    await page.goto(`${base}/cohorts`);
    await page.getByLabel("Cohort 1 name").fill("Pilot");
    await page.getByLabel("Cohort 1 referral").fill("");
    await page.getByLabel("Cohort 1 tag").fill("pilot");
    await page.getByLabel("Cohort 2 name").fill("Not pilot");
    await page.getByLabel("Cohort 2 referral").fill("");
    await page.getByLabel("Cohort 2 programme").selectOption("prg_alcohol");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(/c1\.tag=pilot/);
    const link = page.url();
    const sideBySide = await page.locator("#side-title + .table-scroll").textContent();
    expect(sideBySide).toContain("Pilot");
    expect(await page.locator("#cohort-survival svg.chart g[aria-label='line'] > *").count()).toBe(2);

    const other = await signedIn(TOKENS.alcoholDirector);
    await other.page.goto(link);
    expect(other.page.url()).toBe(link);
    // The alcohol-only director's cohort 1 is limited to its programme: same link, its own scope.
    expect(await other.page.locator("#side-title").count()).toBe(1);

    await page.goto(`${base}/qi?programme=prg_alcohol`);
    await page.getByLabel("Day").fill("2026-06-15");
    await page.getByLabel("Note").fill("MI refresher training");
    await page.getByRole("button", { name: "Add annotation" }).click();
    await page.waitForURL(/\/qi/);
    await other.page.goto(`${base}/qi`);
    expect(await other.page.locator("#qi-chart svg.chart g[aria-label='text']").textContent()).toContain(
      "MI refresher training",
    );
    // Either may remove it; then nobody sees it.
    await other.page.getByRole("button", { name: /Remove the annotation "MI refresher training"/ }).click();
    await other.page.waitForURL(/\/qi/);
    await page.reload();
    expect(await page.locator("#qi-chart svg.chart g[aria-label='text']").count()).toBe(0);
    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  });
});

describe("the dashboard in a browser, for an organisation with many programmes", () => {
  let database: TestDatabase;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;
  let artifacts: string;

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_browser_many");
    // 27 programmes: the demo's three topics at nine sites (the most the synthetic clinic has).
    await seedDemoClinic(database.db, { clients: 160, programmes: 27 });
    const app = createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => DEMO_NOW,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-browser-many-test", level: "silent" }),
    });
    server = await new Promise((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    artifacts = await artifactsFolder("dashboard");
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  it("shows the overview's programmes as one sortable table instead of a card each, readable at both widths", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel("Token").fill(TOKENS.director);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/overview/);
    expect(await page.locator(".card").count()).toBe(0);
    const names = () => page.locator("table.programmes tbody th").allTextContents();
    expect((await names()).length).toBe(27);
    expect(await names()).toEqual([...(await names())].sort((a, b) => a.localeCompare(b)));

    const technicalShares = async () =>
      (await page.locator("table.programmes tbody tr td:nth-of-type(3)").allTextContents())
        .filter((cell) => cell !== "–")
        .map((cell) => Number.parseFloat(cell));
    await page
      .locator("table.programmes thead")
      .getByRole("link", { name: /Technical/ })
      .click();
    await page.waitForURL(/sort=technical/);
    const ascending = await technicalShares();
    expect(ascending.length).toBeGreaterThan(10);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

    const failures: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/overview`);
      await page.screenshot({ path: join(artifacts, `overview-many-${viewport.label}.png`), fullPage: true });
      if (await scrollsSideways(page)) failures.push(`/overview at ${viewport.label} px: scrolls sideways`);
      failures.push(...describeViolations(await accessibilityViolations(page)));
    }
    expect(failures).toEqual([]);
    await context.close();
  }, 120_000);
});
