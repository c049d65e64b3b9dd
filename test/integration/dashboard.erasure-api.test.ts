import type { AddressInfo } from "node:net";
import { createDashboardApp } from "@evoke/dashboard";
import { clientOf, recordEvents } from "@evoke/db";
import type { EvokeEvent } from "@evoke/events";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eraseCommand } from "../../cli/src/erase-command.ts";
import { AS_OF, analyticsClinic } from "../support/analytics-clinic.ts";
import { bearer, dashboardTokens, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * POST /api/v1/erasures through app.request over a real PostgreSQL: only a director who sees
 * every programme may erase (403 problem+json otherwise), an unknown client is a 404, an erasure
 * answers what it removed and leaves one client.erase row in the audit trail with counts and no
 * content, a second erasure removes nothing, and afterwards the programme figures the API serves
 * equal those of the same clinic without the client.
 */

const ERASED = "c2";
const sessionOf = (event: EvokeEvent) => (event.data as { sessionId?: string }).sessionId;

describe("dashboard: erasure on request", () => {
  let full: TestDatabase;
  let neverHad: TestDatabase;
  let app: Hono;
  let reference: Hono;

  const appOn = (database: TestDatabase) =>
    createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => AS_OF,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-erasure-test", level: "silent" }),
    }) as unknown as Hono;
  const erase = (target: Hono, token: string, body: unknown) =>
    target.request("/api/v1/erasures", {
      method: "POST",
      headers: { ...bearer(token), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const get = async (target: Hono, path: string) => {
    const response = await target.request(path, { headers: bearer(TOKENS.director) });
    expect(response.status, path).toBe(200);
    return response.json();
  };
  const PROGRAMME_FIGURES = [
    "/api/v1/programmes/P1/summary",
    "/api/v1/overview",
    "/api/v1/retention?programme=P1",
    "/api/v1/readiness?programme=P1",
    "/api/v1/fidelity?programme=P1",
  ];

  beforeAll(async () => {
    const events = analyticsClinic();
    const sessions = new Set(events.filter((event) => clientOf(event) === ERASED).map(sessionOf));
    sessions.delete(undefined);
    const without = events.filter((event) => clientOf(event) !== ERASED && !sessions.has(sessionOf(event)));
    expect(without.length).toBeLessThan(events.length);
    full = await createTestDatabase("erasure_api");
    neverHad = await createTestDatabase("erasure_api_never_had");
    await full.db.transaction((tx) => recordEvents(tx, events));
    await neverHad.db.transaction((tx) => recordEvents(tx, without));
    app = appOn(full);
    reference = appOn(neverHad);
  });

  afterAll(async () => {
    await full?.drop();
    await neverHad?.drop();
  });

  it("refuses analysts, engineers and programme-scoped directors with a 403 problem, and records the refusals", async () => {
    for (const token of [TOKENS.smokingAnalyst, TOKENS.engineer, TOKENS.alcoholDirector]) {
      const response = await erase(app, token, { clientId: ERASED });
      expect(response.status, token).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    const [row] = await full.sql`select count(*)::int as n from clients where client_id = ${ERASED}`;
    expect(row?.n).toBe(1);
    const refusals = await full.sql`
      select actor, outcome, status, client_id from access_audit where action = 'client.erase' order by audit_id`;
    expect(refusals.map((r) => [r.actor, r.outcome, r.status, r.client_id])).toEqual([
      ["smoking-analyst", "denied", 403, ERASED],
      ["engineer", "denied", 403, ERASED],
      ["alcohol-director", "denied", 403, ERASED],
    ]);
  });

  it("answers 404 for a client it never knew, and 400 for a body that is not a client id", async () => {
    const unknown = await erase(app, TOKENS.director, { clientId: "c99" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect((await erase(app, TOKENS.director, { clientId: "not an id" })).status).toBe(400);
  });

  it("erases the client, says what it removed, audits counts only, and leaves the programme as if the client never was", async () => {
    for (const path of PROGRAMME_FIGURES) expect(await get(app, path), path).not.toEqual(await get(reference, path));

    const response = await erase(app, TOKENS.director, { clientId: ERASED, reason: "Request ref 4471 by letter" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { clientId: string; newlyErased: boolean; removed: Record<string, number> };
    expect(body).toMatchObject({ clientId: ERASED, newlyErased: true, erasedBy: "director" });
    expect(body.removed.sessions).toBeGreaterThan(0);
    expect(body.removed.session_codings).toBeGreaterThan(0);
    expect(body.removed.readiness_measurements).toBeGreaterThan(0);

    const [audit] = await full.sql`
      select * from access_audit where action = 'client.erase' and outcome = 'allowed'`;
    expect(audit).toMatchObject({ actor: "director", role: "director", client_id: ERASED, status: 200 });
    expect(audit?.details).toEqual(body.removed);
    expect(JSON.stringify(audit)).not.toContain("4471");
    const [tombstone] = await full.sql`select client_id, erased_by from erased_clients`;
    expect(tombstone).toEqual({ client_id: ERASED, erased_by: "director" });

    for (const path of PROGRAMME_FIGURES) expect(await get(app, path), path).toEqual(await get(reference, path));
  });

  it("erases twice without harm: 200, nothing removed", async () => {
    const response = await erase(app, TOKENS.director, { clientId: ERASED });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { newlyErased: boolean; removed: Record<string, number> };
    expect(body.newlyErased).toBe(false);
    expect(Object.values(body.removed).every((count) => count === 0)).toBe(true);
  });

  it("lists the erasure in the OpenAPI document", async () => {
    const document = (await get(app, "/api/v1/openapi.json")) as { paths: Record<string, { post?: unknown }> };
    expect(document.paths["/erasures"]?.post).toBeDefined();
  });

  it("erases with `mi erase --client <id> --yes` through the API, refuses without --yes or a director's token", async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    try {
      const dashboard = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      let output = "";
      const run = (args: string[], token: string) =>
        eraseCommand([...args, "--dashboard", dashboard, "--token", token], (text) => {
          output += text;
        });
      // No terminal to confirm on (the test's stdin): without --yes nothing happens.
      await expect(run(["--client", "c5"], TOKENS.director)).rejects.toThrow(/--yes/);
      await expect(run(["--client", "c5", "--yes"], TOKENS.smokingAnalyst)).rejects.toThrow(/403/);
      const [kept] = await full.sql`select count(*)::int as n from sessions where client_id = 'c5'`;
      expect(kept?.n).toBeGreaterThan(0);
      await run(["--client", "c5", "--yes"], TOKENS.director);
      expect(JSON.parse(output)).toMatchObject({ clientId: "c5", newlyErased: true });
      const [gone] = await full.sql`select count(*)::int as n from sessions where client_id = 'c5'`;
      expect(gone?.n).toBe(0);
      await expect(run(["--client", "c404", "--yes"], TOKENS.director)).rejects.toThrow(/404/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
