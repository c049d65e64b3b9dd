import type { AddressInfo } from "node:net";
import { dashboardConfig, loadConfig } from "@evoke/config";
import { createDashboardApp } from "@evoke/dashboard";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser.ts";
import { DEMO_NOW, dashboardTokens, seedDemoClinic } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startTestProvider, type TestProvider } from "../support/oidc-provider.ts";

/*
 * Signing in with the organisation's identity provider, end to end in Chromium: a real OpenID
 * provider (oidc-provider, in this process) on 127.0.0.1, the dashboard on localhost (another
 * site, so the provider's redirect back is a cross-site navigation as in production), the
 * configuration read from the environment as the dashboard reads it, sessions in PostgreSQL.
 */

const USERS = {
  dana: { groups: ["staff", "evoke-directors"], preferred_username: "dana" },
  sam: { groups: ["staff"] },
  ana: { groups: ["evoke-analysts"], evoke_programmes: ["prg_alcohol"] },
};

describe("sign-in with an OpenID provider, in a browser", () => {
  let database: TestDatabase;
  let provider: TestProvider;
  let server: ReturnType<typeof serve>;
  let browser: Browser;
  let base: string;
  let restart: () => void;
  const contexts: BrowserContext[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    return context.newPage();
  }

  /** From a dashboard page to the provider's login and consent forms, and back. */
  async function signIn(page: Page, login: string, path = "/overview", refused = false): Promise<void> {
    await page.goto(`${base}${path}`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
    await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((url) =>
      refused
        ? url.href.startsWith(`${base}/sign-in/oidc/callback`)
        : url.origin === base && !url.pathname.startsWith("/sign-in/oidc"),
    );
  }

  const sessionCookie = async (page: Page) =>
    (await page.context().cookies(base)).find((cookie) => cookie.name === "evoke_session")?.value;
  const apiStatus = async (cookie: string | undefined, path = "/api/v1/programmes") =>
    (await fetch(`${base}${path}`, { headers: { Cookie: `evoke_session=${cookie}` } })).status;
  const auditRows = (actor: string) =>
    database.sql`select actor, actor_kind, role, action, outcome, status from access_audit
                 where actor_kind = 'oidc' and (actor = ${actor} or actor is null) order by audit_id`;

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_oidc");
    await seedDemoClinic(database.db, { clients: 30 });
    let app: { fetch: (request: Request) => Response | Promise<Response> } | null = null;
    server = await new Promise((resolve) => {
      const started = serve(
        {
          fetch: (request) => app?.fetch(request) ?? new Response(null, { status: 503 }),
          port: 0,
          hostname: "127.0.0.1",
        },
        () => resolve(started),
      );
    });
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
    provider = await startTestProvider({ users: USERS, dashboardOrigin: base });
    const config = loadConfig(dashboardConfig, {
      DATABASE_URL: database.url,
      DASHBOARD_TOKENS: "director:0123456789abcdef:director",
      DASHBOARD_PUBLIC_URL: base,
      OIDC_ISSUER: provider.issuer,
      OIDC_PROVIDER_NAME: "Test IdP",
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_ROLE_MAP: "evoke-directors=director:all,evoke-analysts=analyst,evoke-engineers=engineer",
      OIDC_PROGRAMMES_CLAIM: "evoke_programmes",
      SESSION_IDLE_MINUTES: "10",
    });
    // A fresh app over the same database, as after a restart or on another replica.
    restart = () => {
      app = createDashboardApp({
        db: database.db,
        pipeline: { consumerLag: null, deadLetters: null },
        now: () => DEMO_NOW,
        tokens: dashboardTokens(),
        logger: createLogger({ name: "dashboard-oidc-test", level: "silent" }),
        sessionLimits: config.sessions,
        oidc: config.oidc,
      });
    };
    restart();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await provider?.stop();
    await database?.drop();
  });

  it("signs a member of evoke-directors in as a director and shows the overview; a restart keeps the session", async () => {
    const page = await newPage();
    await signIn(page, "dana");
    expect(new URL(page.url()).pathname).toBe("/overview");
    await expect.poll(() => page.locator("form.who").textContent()).toContain("Signed in as dana (director");
    const cookie = await sessionCookie(page);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await apiStatus(cookie)).toBe(200);
    const [session] = await database.sql`select principal_kind, role, programme_ids from dashboard_sessions
                                          where principal_name = 'dana'`;
    expect(session).toEqual({ principal_kind: "oidc", role: "director", programme_ids: null });

    restart();
    await page.goto(`${base}/pipeline`);
    expect(new URL(page.url()).pathname).toBe("/pipeline");
    expect(await auditRows("dana")).toContainEqual({
      actor: "dana",
      actor_kind: "oidc",
      role: "director",
      action: "sign-in",
      outcome: "allowed",
      status: 200,
    });
  });

  it("refuses a user in no mapped group with a clear page, and records the refusal", async () => {
    const page = await newPage();
    await signIn(page, "sam", "/overview", true);
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("not in a group that may use the dashboard");
    expect(await page.title()).toContain("Not allowed to sign in");
    expect(await sessionCookie(page)).toBeUndefined();
    const rows = await database.sql`select actor, role, action, outcome, status from access_audit
                                    where actor_kind = 'oidc' and actor = 'sam'`;
    expect(rows).toEqual([{ actor: "sam", role: null, action: "sign-in", outcome: "denied", status: 403 }]);
    await page.goto(`${base}/overview`);
    await page.waitForURL(/\/sign-in/);
  });

  it("scopes a user to the programmes of the claim: another programme is not found", async () => {
    const page = await newPage();
    await signIn(page, "ana", "/overview?programme=prg_alcohol");
    expect(page.url()).toBe(`${base}/overview?programme=prg_alcohol`);
    const cookie = await sessionCookie(page);
    const programmes = await fetch(`${base}/api/v1/programmes`, { headers: { Cookie: `evoke_session=${cookie}` } });
    expect(((await programmes.json()) as { programmeId: string }[]).map((p) => p.programmeId)).toEqual(["prg_alcohol"]);
    expect(await apiStatus(cookie, "/api/v1/overview?programme=prg_diet")).toBe(404);
    const other = await page.goto(`${base}/overview?programme=prg_diet`);
    expect(other?.status()).toBe(404);
    // An analyst: no pipeline page.
    expect((await page.goto(`${base}/pipeline`))?.status()).toBe(403);
  });

  it("sends a user idle past SESSION_IDLE_MINUTES back to sign-in", async () => {
    const page = await newPage();
    await signIn(page, "dana");
    const cookie = await sessionCookie(page);
    await page.goto(`${base}/retention`);
    expect(new URL(page.url()).pathname).toBe("/retention");
    await database.sql`update dashboard_sessions set last_seen_at = now() - interval '11 minutes'
                       where principal_name = 'dana'`;
    await page.goto(`${base}/retention`);
    await page.waitForURL(/\/sign-in\?next=%2Fretention/);
    expect(await apiStatus(cookie)).toBe(401);
  });

  it("signs out at the dashboard and the provider: the old cookie no longer works", async () => {
    const page = await newPage();
    await signIn(page, "dana");
    const cookie = await sessionCookie(page);
    expect(await apiStatus(cookie)).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    // The provider asks whether to end its own session too, then returns to the dashboard.
    await page.waitForURL(new RegExp(`^${provider.issuer}/`));
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL(`${base}/sign-in`);
    expect(await apiStatus(cookie)).toBe(401);
    const rows = await auditRows("dana");
    expect(rows.at(-1)).toMatchObject({ actor: "dana", action: "sign-out", outcome: "allowed" });
    // Signing in again goes back through the provider's login form (its session ended too).
    await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
    await expect.poll(() => page.locator('input[name="login"]').count()).toBe(1);
  });
});
