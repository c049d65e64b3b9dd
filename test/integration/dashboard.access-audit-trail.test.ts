import type { AddressInfo } from "node:net";
import { createDashboardApp } from "@evoke/dashboard";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCommand } from "../../cli/src/audit-command.ts";
import { bearer, DEMO_NOW, dashboardTokens, parseCsv, seedDemoClinic, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * The access audit trail through app.request over a real PostgreSQL: each audited request leaves
 * exactly one access_audit row with who, what, whose data and the outcome, refusals and bad
 * tokens included; no row holds transcript text or free query text; a failed write fails the
 * request.
 */

interface AuditRow {
  audit_id: string;
  actor: string | null;
  actor_kind: string;
  role: string | null;
  action: string;
  method: string;
  path: string;
  programme_id: string | null;
  session_id: string | null;
  client_id: string | null;
  outcome: string;
  status: number;
  request_id: string | null;
}

// Words no synthetic transcript contains, so finding them anywhere in the trail is a leak.
const DISTINCTIVE = "Zanzibar-marmalade-quokka confession 4417";

describe("dashboard access audit trail", () => {
  let database: TestDatabase;
  let app: Hono;
  let alcohol: { sessionId: string; clientId: string };
  let smoking: { sessionId: string; clientId: string };

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { ...(token === undefined ? {} : bearer(token)), ...headers } });

  /** The rows written by `run`, and its response. */
  const rowsOf = async (run: () => Response | Promise<Response>): Promise<{ response: Response; rows: AuditRow[] }> => {
    const [mark] = await database.sql<
      { last: string }[]
    >`select coalesce(max(audit_id), 0)::text as last from access_audit`;
    const response = await run();
    const rows = await database.sql<AuditRow[]>`
      select * from access_audit where audit_id > ${mark?.last ?? "0"} order by audit_id`;
    return { response, rows };
  };

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_audit");
    await seedDemoClinic(database.db, { clients: 30 });
    app = createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => DEMO_NOW,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-audit-test", level: "silent" }),
    }) as unknown as Hono;
    const sessionOf = async (programmeId: string) => {
      const [row] = await database.sql<{ session_id: string; client_id: string }[]>`
        select session_id, client_id from transcripts
        where programme_id = ${programmeId} and utterances is not null order by session_id limit 1`;
      if (row === undefined) throw new Error(`the demo clinic has no transcript in ${programmeId}`);
      return { sessionId: row.session_id, clientId: row.client_id };
    };
    alcohol = await sessionOf("prg_alcohol");
    smoking = await sessionOf("prg_smoking");
    // The alcohol session's first line becomes the distinctive text.
    await database.sql`
      update transcripts set utterances = jsonb_set(utterances::jsonb, '{0,text}', to_jsonb(${DISTINCTIVE}::text))::json
      where session_id = ${alcohol.sessionId}`;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("records a director's transcript read through the API, with whose session it was", async () => {
    const { response, rows } = await rowsOf(() => get(`/api/v1/sessions/${alcohol.sessionId}`, TOKENS.director));
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(DISTINCTIVE);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: "director",
      actor_kind: "token",
      role: "director",
      action: "transcript.read",
      method: "GET",
      path: `/api/v1/sessions/${alcohol.sessionId}`,
      programme_id: "prg_alcohol",
      session_id: alcohol.sessionId,
      client_id: alcohol.clientId,
      outcome: "allowed",
      status: 200,
    });
    expect(rows[0]?.request_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("records the session drill-down page, and an analyst's drill-down without text as a session read", async () => {
    const page = await rowsOf(() => get(`/sessions/${alcohol.sessionId}`, TOKENS.director));
    expect(page.response.status).toBe(200);
    expect(await page.response.text()).toContain(DISTINCTIVE);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      action: "transcript.read",
      path: `/sessions/${alcohol.sessionId}`,
      session_id: alcohol.sessionId,
      client_id: alcohol.clientId,
      outcome: "allowed",
      status: 200,
    });

    const analyst = await rowsOf(() => get(`/api/v1/sessions/${smoking.sessionId}`, TOKENS.smokingAnalyst));
    expect(analyst.response.status).toBe(200);
    expect(analyst.rows).toHaveLength(1);
    expect(analyst.rows[0]).toMatchObject({
      actor: "smoking-analyst",
      role: "analyst",
      action: "session.read",
      programme_id: "prg_smoking",
      session_id: smoking.sessionId,
      client_id: smoking.clientId,
      outcome: "allowed",
    });
  });

  it("records refusals: a programme out of scope, a role without access, a bad token", async () => {
    const outOfScope = await rowsOf(() => get(`/api/v1/sessions/${alcohol.sessionId}`, TOKENS.smokingAnalyst));
    expect(outOfScope.response.status).toBe(404);
    expect(outOfScope.rows).toHaveLength(1);
    expect(outOfScope.rows[0]).toMatchObject({
      actor: "smoking-analyst",
      action: "session.read",
      session_id: alcohol.sessionId,
      // Its client is not disclosed to the trail's reader either: the session was never loaded for them.
      client_id: null,
      outcome: "denied",
      status: 404,
    });

    const pageOutOfScope = await rowsOf(() => get(`/sessions/${smoking.sessionId}`, TOKENS.alcoholDirector));
    expect(pageOutOfScope.response.status).toBe(404);
    expect(pageOutOfScope.rows.map((row) => [row.actor, row.outcome, row.status])).toEqual([
      ["alcohol-director", "denied", 404],
    ]);

    const wrongRole = await rowsOf(() => get(`/api/v1/sessions/${alcohol.sessionId}`, TOKENS.engineer));
    expect(wrongRole.response.status).toBe(403);
    expect(wrongRole.rows.map((row) => [row.actor, row.role, row.action, row.outcome, row.status])).toEqual([
      ["engineer", "engineer", "session.read", "denied", 403],
    ]);

    const exportOutOfScope = await rowsOf(() =>
      get("/api/v1/readiness?programme=prg_alcohol&format=csv", TOKENS.smokingAnalyst),
    );
    expect(exportOutOfScope.response.status).toBe(404);
    expect(exportOutOfScope.rows.map((row) => [row.action, row.programme_id, row.outcome])).toEqual([
      ["client-rows.export", "prg_alcohol", "denied"],
    ]);

    const badToken = await rowsOf(() => get("/api/v1/overview", "not-a-real-token-at-all"));
    expect(badToken.response.status).toBe(401);
    expect(badToken.rows).toHaveLength(1);
    expect(badToken.rows[0]).toMatchObject({
      actor: null,
      actor_kind: "none",
      role: null,
      action: "token.rejected",
      path: "/api/v1/overview",
      outcome: "failed",
      status: 401,
    });
    // No credentials at all (a browser before signing in) is not a sign-in attempt.
    const none = await rowsOf(() => get("/api/v1/overview"));
    expect(none.response.status).toBe(401);
    expect(none.rows).toEqual([]);
  });

  it("records exports of client-level rows, JSON and CSV, and not aggregate answers", async () => {
    const csv = await rowsOf(() => get("/api/v1/sessions?programme=prg_smoking&format=csv", TOKENS.director));
    expect(csv.response.status).toBe(200);
    expect(parseCsv(await csv.response.text())[0]).toContain("client_id");
    expect(csv.rows).toHaveLength(1);
    expect(csv.rows[0]).toMatchObject({
      actor: "director",
      action: "client-rows.export",
      path: "/api/v1/sessions",
      programme_id: "prg_smoking",
      session_id: null,
      client_id: null,
      outcome: "allowed",
      status: 200,
    });

    const readiness = await rowsOf(() => get("/api/v1/readiness", TOKENS.smokingAnalyst));
    expect(readiness.response.status).toBe(200);
    expect(readiness.rows.map((row) => [row.actor, row.action, row.path, row.outcome])).toEqual([
      ["smoking-analyst", "client-rows.export", "/api/v1/readiness", "allowed"],
    ]);

    const points = await rowsOf(() => get("/api/v1/associations?format=csv", TOKENS.director));
    expect(points.response.status).toBe(200);
    expect(points.rows.map((row) => [row.action, row.path, row.outcome])).toEqual([
      ["client-rows.export", "/api/v1/associations", "allowed"],
    ]);

    const aggregate = await rowsOf(() => get("/api/v1/overview", TOKENS.director));
    expect(aggregate.response.status).toBe(200);
    expect(aggregate.rows).toEqual([]);
  });

  it("records sign-ins through the form, failed ones without an actor", async () => {
    const failed = await rowsOf(() =>
      app.request("/sign-in", { method: "POST", body: new URLSearchParams({ token: "wrong-token-wrong" }) }),
    );
    expect(failed.response.status).toBe(401);
    expect(failed.rows).toHaveLength(1);
    expect(failed.rows[0]).toMatchObject({
      actor: null,
      actor_kind: "none",
      action: "sign-in",
      method: "POST",
      path: "/sign-in",
      outcome: "failed",
      status: 401,
    });

    const signedIn = await rowsOf(() =>
      app.request("/sign-in", { method: "POST", body: new URLSearchParams({ token: TOKENS.alcoholDirector }) }),
    );
    expect(signedIn.response.status).toBe(303);
    expect(signedIn.rows.map((row) => [row.actor, row.actor_kind, row.role, row.action, row.outcome])).toEqual([
      ["alcohol-director", "token", "director", "sign-in", "allowed"],
    ]);
  });

  it("records annotation changes, refused ones included", async () => {
    const post = (token: string, body: object) =>
      app.request("/api/v1/annotations", {
        method: "POST",
        headers: { ...bearer(token), "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const added = await rowsOf(() =>
      post(TOKENS.smokingAnalyst, { programmeId: "prg_smoking", day: "2026-06-01", label: DISTINCTIVE.slice(0, 40) }),
    );
    expect(added.response.status).toBe(201);
    const { annotationId } = (await added.response.json()) as { annotationId: string };
    expect(
      added.rows.map((row) => [row.actor, row.action, row.method, row.programme_id, row.outcome, row.status]),
    ).toEqual([["smoking-analyst", "annotation.add", "POST", "prg_smoking", "allowed", 201]]);

    const refused = await rowsOf(() =>
      post(TOKENS.smokingAnalyst, { programmeId: "prg_alcohol", day: "2026-06-01", label: "not mine" }),
    );
    expect(refused.response.status).toBe(404);
    expect(refused.rows.map((row) => [row.action, row.programme_id, row.outcome])).toEqual([
      ["annotation.add", "prg_alcohol", "denied"],
    ]);

    const removed = await rowsOf(() =>
      app.request(`/api/v1/annotations/${annotationId}`, { method: "DELETE", headers: bearer(TOKENS.smokingAnalyst) }),
    );
    expect(removed.response.status).toBe(204);
    expect(removed.rows.map((row) => [row.action, row.method, row.path, row.outcome, row.status])).toEqual([
      ["annotation.delete", "DELETE", `/api/v1/annotations/${annotationId}`, "allowed", 204],
    ]);

    const byEngineer = await rowsOf(() =>
      app.request(`/api/v1/annotations/${annotationId}`, { method: "DELETE", headers: bearer(TOKENS.engineer) }),
    );
    expect(byEngineer.response.status).toBe(403);
    expect(byEngineer.rows.map((row) => [row.actor, row.action, row.outcome])).toEqual([
      ["engineer", "annotation.delete", "denied"],
    ]);
  });

  it("lets unscoped directors read the trail, filtered, as JSON, CSV and a page, and audits each read", async () => {
    const read = await rowsOf(() => get("/api/v1/audit?actor=smoking-analyst&action=annotation.add", TOKENS.director));
    expect(read.response.status).toBe(200);
    const trail = (await read.response.json()) as { rows: { actor: string; action: string }[]; total: number };
    expect(trail.total).toBe(2);
    expect(trail.rows.every((row) => row.actor === "smoking-analyst" && row.action === "annotation.add")).toBe(true);
    expect(read.rows.map((row) => [row.actor, row.action, row.path, row.outcome])).toEqual([
      ["director", "audit.read", "/api/v1/audit", "allowed"],
    ]);

    const csv = await get("/api/v1/audit?action=token.rejected&format=csv", TOKENS.director);
    const table = parseCsv(await csv.text());
    expect(table[0]).toEqual([
      "audit_id",
      "at",
      "actor",
      "actor_kind",
      "role",
      "action",
      "method",
      "path",
      "programme_id",
      "session_id",
      "client_id",
      "outcome",
      "status",
      "request_id",
    ]);
    expect(table.slice(1).map((row) => row[5])).toEqual(["token.rejected"]);

    const page = await rowsOf(() => get("/audit?action=transcript.read", TOKENS.director));
    expect(page.response.status).toBe(200);
    const html = await page.response.text();
    expect(html).toContain("Access audit");
    expect(html).toContain(alcohol.sessionId);
    expect(page.rows.map((row) => [row.action, row.path])).toEqual([["audit.read", "/audit"]]);

    // Rows are stamped by the database's clock: today's are there, and none from tomorrow on.
    const realToday = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(
      ((await (await get(`/api/v1/audit?from=${realToday}`, TOKENS.director)).json()) as { total: number }).total,
    ).toBeGreaterThan(10);
    expect(
      ((await (await get(`/api/v1/audit?from=${tomorrow}`, TOKENS.director)).json()) as { total: number }).total,
    ).toBe(0);

    for (const [token, actor] of [
      [TOKENS.alcoholDirector, "alcohol-director"],
      [TOKENS.smokingAnalyst, "smoking-analyst"],
    ] as const) {
      const refused = await rowsOf(() => get("/api/v1/audit", token));
      expect(refused.response.status).toBe(403);
      expect(refused.rows.map((row) => [row.actor, row.action, row.outcome, row.status])).toEqual([
        [actor, "audit.read", "denied", 403],
      ]);
    }
    // The navigation offers the page to directors only.
    expect(await (await get("/overview", TOKENS.director)).text()).toContain('href="/audit"');
    expect(await (await get("/overview", TOKENS.smokingAnalyst)).text()).not.toContain('href="/audit"');
  });

  it("never writes transcript text or free query text into any column", async () => {
    // Read the distinctive session every way there is, and put the text into query strings.
    expect((await get(`/api/v1/sessions/${alcohol.sessionId}`, TOKENS.director)).status).toBe(200);
    expect((await get(`/sessions/${alcohol.sessionId}`, TOKENS.director)).status).toBe(200);
    const query = encodeURIComponent(DISTINCTIVE);
    expect((await get(`/api/v1/audit?actor=${query}`, TOKENS.director)).status).toBe(200);
    expect((await get(`/api/v1/sessions?programme=${query}`, TOKENS.director)).status).toBe(400);
    expect((await get(`/audit?actor=${query}`, TOKENS.director)).status).toBe(200);

    // The scan: each row as text (every column), searched for any word of the distinctive text.
    const words = DISTINCTIVE.split(" ");
    const [transcriptHits] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from transcripts t where t::text like ${`%${words[0]}%`}`;
    expect(transcriptHits?.n, "the scan finds the text where it is").toBe(1);
    for (const word of words) {
      const [hits] = await database.sql<{ n: number }[]>`
        select count(*)::int as n from access_audit a where a::text ilike ${`%${word}%`}`;
      expect(hits?.n, word).toBe(0);
    }
    const [total] = await database.sql<{ n: number }[]>`select count(*)::int as n from access_audit`;
    expect(total?.n).toBeGreaterThan(20);
  });

  it("fails the request, and sends no data, when its audit row cannot be written", async () => {
    // A real write failure: the database refuses this action's rows until the constraint goes.
    await database.sql`
      alter table access_audit add constraint refuse_exports_for_this_test check (action <> 'client-rows.export') not valid`;
    try {
      const response = await get("/api/v1/sessions?format=csv", TOKENS.director);
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).not.toContain("client_id");
      expect(body).toContain("/problems/internal");
    } finally {
      await database.sql`alter table access_audit drop constraint refuse_exports_for_this_test`;
    }
    expect((await get("/api/v1/sessions?format=csv", TOKENS.director)).status).toBe(200);
  });

  it("prints the trail with `mi audit`, a page of 1,000 at a time, each row once though its own reads add rows", async () => {
    await database.sql`
      insert into access_audit (actor, actor_kind, role, action, method, path, outcome, status)
      select 'bulk-' || n, 'token', 'analyst', 'client-rows.export', 'GET', '/api/v1/readiness', 'allowed', 200
      from generate_series(1, 1500) as n`;
    const [before] = await database.sql<{ n: number }[]>`select count(*)::int as n from access_audit`;
    const [lastBefore] = await database.sql<{ id: string }[]>`select max(audit_id)::text as id from access_audit`;
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    try {
      const dashboard = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = async (args: string[]) => {
        let output = "";
        await auditCommand([...args, "--dashboard", dashboard, "--token", TOKENS.director], (text) => {
          output += text;
        });
        return output;
      };
      const csv = parseCsv(await run(["--csv"]));
      expect(csv[0]?.[0]).toBe("audit_id");
      const ids = csv.slice(1).map((row) => row[0]);
      expect(ids).toHaveLength(before?.n ?? -1);
      expect(new Set(ids).size).toBe(ids.length);

      const lines = (await run(["--action", "sign-in", "--since", new Date().toISOString().slice(0, 10)]))
        .trim()
        .split("\n");
      expect(lines.map((text) => text.split("\t").slice(1, 5))).toEqual([
        ["alcohol-director", "director", "sign-in", "allowed 303"],
        ["(unidentified)", "-", "sign-in", "failed 401"],
      ]);
      // Each page it read is in the trail: two CSV pages, one of sign-ins.
      const reads = await database.sql<{ path: string }[]>`
        select path from access_audit where audit_id > ${lastBefore?.id ?? "0"} and action = 'audit.read' and actor = 'director'`;
      expect(reads.map((row) => row.path)).toEqual(["/api/v1/audit", "/api/v1/audit", "/api/v1/audit"]);
      await expect(run(["--since", "yesterday"])).rejects.toThrow(/not a day/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
