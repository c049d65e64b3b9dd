import { createHash } from "node:crypto";
import { createDashboardApp } from "@evoke/dashboard";
import { createLogger } from "@evoke/logger";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_NOW, dashboardTokens, seedDemoClinic, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * Browser sessions live in PostgreSQL (dashboard_sessions): a second app over the same database
 * (a restart, another replica) honours the cookie; only the secret's hash is stored; the idle and
 * absolute limits end a session on the next request; signing out deletes the row.
 */

describe("dashboard sessions in PostgreSQL", () => {
  let database: TestDatabase;
  const makeApp = () =>
    createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => DEMO_NOW,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-test", level: "silent" }),
      sessionLimits: { idleSeconds: 600, absoluteSeconds: 3600 },
    }) as unknown as Hono;

  const signIn = async (app: Hono) => {
    const response = await app.request("/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: TOKENS.director, next: "/overview" }).toString(),
    });
    expect(response.status).toBe(303);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^evoke_session=[A-Za-z0-9_-]{43}$/);
    return cookie;
  };
  /** The row of a cookie's session, found as the server finds it: by the secret's hash. */
  const hashOf = (cookie: string) =>
    createHash("sha256")
      .update(cookie.split("=")[1] as string)
      .digest("base64url");
  const rowsOf = (cookie: string) =>
    database.sql`select * from dashboard_sessions where session_hash = ${hashOf(cookie)}`;
  const status = async (app: Hono, cookie: string) =>
    (await app.request("/api/v1/programmes", { headers: { Cookie: cookie } })).status;

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_sessions");
    await seedDemoClinic(database.db, { clients: 10 });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("keeps a session across a new app over the same database, storing only the secret's hash", async () => {
    const cookie = await signIn(makeApp());
    const secret = cookie.split("=")[1] as string;
    const restarted = makeApp();
    expect(await status(restarted, cookie)).toBe(200);
    const rows = await rowsOf(cookie);
    expect(rows.length).toBe(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]).toMatchObject({ principal_name: "director", principal_kind: "token", role: "director" });
    expect(await status(restarted, `evoke_session=${secret.slice(0, -1)}x`)).toBe(401);
  });

  it("ends a session idle for longer than the limit, and deletes its row", async () => {
    const app = makeApp();
    const cookie = await signIn(app);
    expect(await status(app, cookie)).toBe(200);
    expect((await rowsOf(cookie)).length).toBe(1);
    await database.sql`update dashboard_sessions set last_seen_at = now() - interval '599 seconds' where session_hash = ${hashOf(cookie)}`;
    // Still inside the limit; the request moves last_seen_at to now.
    expect(await status(app, cookie)).toBe(200);
    await database.sql`update dashboard_sessions set last_seen_at = now() - interval '601 seconds' where session_hash = ${hashOf(cookie)}`;
    expect(await status(app, cookie)).toBe(401);
    expect((await rowsOf(cookie)).length).toBe(0);
    const page = await app.request("/overview", { headers: { Cookie: cookie } });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("ends an active session at its absolute expiry", async () => {
    const app = makeApp();
    const cookie = await signIn(app);
    const [row] =
      await database.sql`select extract(epoch from expires_at - created_at)::int as seconds from dashboard_sessions where session_hash = ${hashOf(cookie)}`;
    expect(row?.seconds).toBe(3600);
    await database.sql`update dashboard_sessions set expires_at = now() - interval '1 second' where session_hash = ${hashOf(cookie)}`;
    expect(await status(app, cookie)).toBe(401);
    // An abandoned one (never used again, never signed out) is swept at the next sign-in.
    const abandoned = await signIn(app);
    await database.sql`update dashboard_sessions set last_seen_at = now() - interval '700 seconds' where session_hash = ${hashOf(abandoned)}`;
    expect((await rowsOf(abandoned)).length).toBe(1);
    await signIn(app);
    expect((await rowsOf(abandoned)).length).toBe(0);
  });

  it("deletes the row on sign-out, so the old cookie no longer works anywhere", async () => {
    const app = makeApp();
    const cookie = await signIn(app);
    const signedOut = await app.request("/sign-out", { method: "POST", headers: { Cookie: cookie } });
    expect(signedOut.status).toBe(303);
    expect((await rowsOf(cookie)).length).toBe(0);
    expect(await status(makeApp(), cookie)).toBe(401);
  });
});
