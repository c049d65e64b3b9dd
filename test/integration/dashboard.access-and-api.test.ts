import { createDashboardApp, ENDPOINTS, openApiDocument } from "@evoke/dashboard";
import { createLogger } from "@evoke/logger";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, DEMO_NOW, dashboardTokens, parseCsv, seedDemoClinic, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * The dashboard's API and access rules through app.request, over the demo clinic (three
 * programmes) recorded in a real PostgreSQL database: who sees what, problem documents for bad
 * input, CSV, OpenAPI, security headers, sign-in and annotations.
 */

const PROGRAMMES = ["prg_alcohol", "prg_diet", "prg_smoking"];

describe("dashboard API and access", () => {
  let database: TestDatabase;
  let app: Hono;
  // A transcript line of an alcohol session, to prove where text does and does not appear.
  let alcoholSession: { sessionId: string; line: string };

  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { ...(token === undefined ? {} : bearer(token)), ...headers } });
  const json = async (path: string, token: string) => {
    const response = await get(path, token);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_api");
    await seedDemoClinic(database.db, { clients: 120 });
    app = createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => DEMO_NOW,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-test", level: "silent" }),
    }) as unknown as Hono;
    const [row] = await database.sql`
      select t.session_id, t.utterances->0->>'text' as line from transcripts t
      where t.programme_id = 'prg_alcohol' and t.utterances is not null order by t.session_id limit 1`;
    alcoholSession = { sessionId: row?.session_id, line: row?.line };
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("refuses every API endpoint without a valid token, as a problem document", async () => {
    for (const definition of ENDPOINTS) {
      const path = `/api/v1${definition.path.replace(":programmeId", "prg_alcohol").replace(":sessionId", "x")}`;
      for (const token of [undefined, "not-a-real-token-at-all"]) {
        const response = await get(path, token);
        expect(response.status, path).toBe(401);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(response.headers.get("www-authenticate")).toContain("Bearer");
        expect(await response.json()).toMatchObject({ type: "/problems/unauthorized", status: 401 });
      }
    }
    expect((await get("/api/v1/openapi.json")).status).toBe(401);
    // Pages send the browser to sign in, keeping where it was going.
    const page = await get("/retention?programme=prg_diet");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/retention?programme=prg_diet")}`);
  });

  it("shows an unscoped director every programme, with the demo clinic's figures", async () => {
    const programmes = await json("/api/v1/programmes", TOKENS.director);
    expect(programmes.map((p: { programmeId: string }) => p.programmeId)).toEqual(PROGRAMMES);
    const [counted] = await database.sql`
      select count(*)::int as coded, (count(*) filter (where kind = 'human'))::int as human
      from session_fidelity where programme_id = 'prg_alcohol'`;
    const alcohol = programmes.find((p: { programmeId: string }) => p.programmeId === "prg_alcohol");
    expect(alcohol).toMatchObject({
      name: "Alcohol brief intervention",
      sessionsCoded: counted?.coded,
      humanRated: counted?.human,
    });
    expect(counted?.coded).toBeGreaterThan(50);
  });

  it("applies the period to a programme summary (sessions in the period)", async () => {
    const [inPeriod] = await database.sql`
      select count(*)::int as n from session_fidelity
      where programme_id = 'prg_alcohol' and session_time >= '2026-05-01' and session_time < '2026-08-01'`;
    const summary = await json("/api/v1/programmes/prg_alcohol/summary?from=2026-05-01&to=2026-07-31", TOKENS.director);
    expect(summary.sessionsCoded).toBe(inPeriod?.n);
    expect(summary.scores.technical.fair.of).toBe(inPeriod?.n);
    expect(summary.retention.map((m: { days: number }) => m.days)).toEqual([30, 60, 90]);
    const whole = await json("/api/v1/programmes/prg_alcohol/summary", TOKENS.director);
    expect(whole.sessionsCoded).toBeGreaterThan(summary.sessionsCoded);
    // Its QI signals come from the same chart the QI page draws.
    const { annotations: _notes, ...series } = await json(
      "/api/v1/qi-series?programme=prg_alcohol&score=relational&chart=xmr&interval=month",
      TOKENS.director,
    );
    expect(whole.series.relational).toEqual(series);
    expect(series.points.length).toBeGreaterThan(5);
  });

  it("sets fidelity against readiness per therapist: the means of each therapist's clients", async () => {
    const perTherapist = await json("/api/v1/associations?unit=therapist&measure=technical", TOKENS.director);
    const expected = await database.sql`
      select therapist_id, avg(technical_mean)::float8 as x, avg(change)::float8 as y from readiness_changes
      where instrument = 'readiness-ruler' and item = 'readiness' and measurements >= 2 and coded_sessions > 0
        and therapist_id is not null
      group by therapist_id`;
    expect(perTherapist.unit).toBe("therapist");
    expect(perTherapist.n).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(5);
    for (const row of expected) {
      const point = perTherapist.points.find((p: { therapistId: string }) => p.therapistId === row.therapist_id);
      expect(point?.x).toBeCloseTo(row.x, 5);
      expect(point?.y).toBeCloseTo(row.y, 5);
    }
    const perClient = await json("/api/v1/associations?measure=technical", TOKENS.director);
    expect(perClient.unit).toBe("client");
    expect(perClient.n).toBeGreaterThan(perTherapist.n);
  });

  it("never shows a programme-scoped token another programme's data, on any endpoint", async () => {
    const token = TOKENS.smokingAnalyst;
    expect((await json("/api/v1/programmes", token)).map((p: { programmeId: string }) => p.programmeId)).toEqual([
      "prg_smoking",
    ]);
    const overview = await json("/api/v1/overview", token);
    expect(overview.programmes.map((p: { programmeId: string }) => p.programmeId)).toEqual(["prg_smoking"]);

    // Its unfiltered answers equal the director's answers filtered to its programme.
    for (const path of [
      "/api/v1/sessions?limit=1000",
      "/api/v1/fidelity?by=month",
      "/api/v1/retention",
      "/api/v1/associations",
    ]) {
      const scoped = await json(path, token);
      const filtered = await json(`${path}${path.includes("?") ? "&" : "?"}programme=prg_smoking`, TOKENS.director);
      expect(scoped, path).toEqual(filtered);
    }
    const sessions = await json("/api/v1/sessions?limit=1000", token);
    expect(sessions.total).toBeGreaterThan(0);
    expect(new Set(sessions.sessions.map((s: { programmeId: string }) => s.programmeId))).toEqual(
      new Set(["prg_smoking"]),
    );
    const therapists = await json("/api/v1/therapists", token);
    expect(new Set(therapists.map((t: { programmeId: string }) => t.programmeId))).toEqual(new Set(["prg_smoking"]));

    // Asking for another programme, directly or in a filter or a cohort, is "not found".
    for (const path of [
      "/api/v1/programmes/prg_alcohol/summary",
      "/api/v1/overview?programme=prg_alcohol",
      "/api/v1/fidelity?programme=prg_alcohol",
      "/api/v1/retention?programme=prg_alcohol",
      `/api/v1/sessions/${alcoholSession.sessionId}`,
      "/api/v1/cohorts/compare?c1.name=A&c1.programme=prg_smoking&c2.name=B&c2.programme=prg_alcohol",
    ]) {
      const response = await get(path, token);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ type: "/problems/not-found" });
    }
    // The same for a page, and the CSV holds only its programme.
    const page = await get("/overview", token);
    const html = await page.text();
    expect(html).toContain("Stop smoking service");
    expect(html).not.toContain("Alcohol brief intervention");
    expect(html).not.toContain("prg_alcohol");
    const csv = parseCsv(await (await get("/api/v1/sessions?format=csv&limit=1000", token)).text());
    const programmeColumn = csv[0]?.indexOf("programme_id") ?? -1;
    expect(new Set(csv.slice(1).map((row) => row[programmeColumn]))).toEqual(new Set(["prg_smoking"]));
  });

  it("gives each role what it may have: transcripts to directors, pipeline health to engineers", async () => {
    const path = `/api/v1/sessions/${alcoholSession.sessionId}`;
    const director = await json(path, TOKENS.alcoholDirector);
    expect(director.textShown).toBe(true);
    expect(director.transcript.utterances[0].text).toBe(alcoholSession.line);
    expect(director.codings[0].utterances.length).toBe(director.transcript.utterances.length);

    const analystAnswer = await json(
      `/api/v1/sessions/${(await json("/api/v1/sessions?limit=1", TOKENS.smokingAnalyst)).sessions[0].sessionId}`,
      TOKENS.smokingAnalyst,
    );
    expect(analystAnswer.textShown).toBe(false);
    expect(analystAnswer.transcript.utterances).toBeNull();
    expect(analystAnswer.codings[0].utterances.length).toBeGreaterThan(0);

    const engineerOverview = await get("/api/v1/overview", TOKENS.engineer);
    expect(engineerOverview.status).toBe(403);
    expect(await engineerOverview.json()).toMatchObject({ type: "/problems/forbidden" });
    expect((await get("/overview", TOKENS.engineer)).status).toBe(403);
    expect((await get("/api/v1/pipeline", TOKENS.engineer)).status).toBe(200);
    expect((await get("/api/v1/pipeline", TOKENS.smokingAnalyst)).status).toBe(403);
    const home = await get("/", TOKENS.engineer);
    expect(home.headers.get("location")).toBe("/pipeline");
    const pipelinePage = await (await get("/pipeline", TOKENS.engineer)).text();
    expect(pipelinePage).not.toContain('href="/overview');
  });

  it("names the parameter and the reason for each bad input (RFC 9457)", async () => {
    const cases: [string, string][] = [
      ["/api/v1/overview?from=2026-13-45", "from"],
      ["/api/v1/overview?from=2026-05-01&to=2026-04-01", "to"],
      ["/api/v1/associations?measure=charisma", "measure"],
      ["/api/v1/sessions?limit=0", "limit"],
      ["/api/v1/qi-series?chart=pie", "chart"],
      ["/api/v1/fidelity?therapist=a%20b", "therapist"],
      ["/api/v1/cohorts/compare?c1.name=Only", "c1.name"],
      ["/api/v1/cohorts/compare?c1.name=A&c2.name=B&c2.from=yesterday", "c2.from"],
      ["/api/v1/sessions?format=xml", "format"],
    ];
    for (const [path, field] of cases) {
      const response = await get(path, TOKENS.director);
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const problem = await response.json();
      expect(problem.type).toBe("/problems/invalid-query");
      expect(
        problem.errors.map((error: { field: string }) => error.field),
        path,
      ).toContain(field);
      expect(problem.detail).toContain(field);
    }
    const notTabular = await get(`/api/v1/sessions/${alcoholSession.sessionId}?format=csv`, TOKENS.director);
    expect(notTabular.status).toBe(406);
  });

  it("answers every tabular endpoint as CSV a spreadsheet can read", async () => {
    for (const definition of ENDPOINTS.filter((candidate) => candidate.table !== undefined)) {
      const path = `/api/v1${definition.path.replace(":programmeId", "prg_diet")}`;
      const query =
        definition.path === "/cohorts/compare" ? "c1.name=GP&c1.referral=gp&c2.name=Self&c2.referral=self&" : "";
      const response = await get(`${path}?${query}format=csv`, TOKENS.director);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="evoke-[a-z0-9-]+\.csv"$/);
      const rows = parseCsv(await response.text());
      expect(rows.length, path).toBeGreaterThan(0);
      expect(rows.every((row) => row.length === rows[0]?.length)).toBe(true);
    }
    const json = await (await get("/api/v1/sessions?limit=40", TOKENS.director)).json();
    const csv = parseCsv(await (await get("/api/v1/sessions?limit=40&format=csv", TOKENS.director)).text());
    expect(csv.length).toBe(41);
    expect(csv[1]?.[0]).toBe(json.sessions[0].sessionId);
    expect(Number(csv[1]?.[csv[0]?.indexOf("technical") ?? -1])).toBeCloseTo(json.sessions[0].technical, 5);
  });

  it("documents every endpoint and parameter in OpenAPI, and each documented call works", async () => {
    const document = await json("/api/v1/openapi.json", TOKENS.engineer);
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(document.openapi).toBe("3.1.0");
    for (const definition of ENDPOINTS) {
      const path = definition.path.replaceAll(/:(\w+)/g, "{$1}");
      const operation = document.paths[path]?.get;
      expect(operation, path).toBeDefined();
      const documented = operation.parameters.map((parameter: { name: string }) => parameter.name);
      for (const name of Object.keys((definition.query as { shape?: object }).shape ?? {}))
        expect(documented).toContain(name);
    }
    for (const required of [
      "/programmes",
      "/programmes/{programmeId}/summary",
      "/sessions/{sessionId}",
      "/cohorts/compare",
    ]) {
      expect(document.paths[required], required).toBeDefined();
    }
  });

  it("sets security headers on pages, API answers and errors", async () => {
    for (const response of [
      await get("/overview", TOKENS.director),
      await get("/api/v1/programmes", TOKENS.director),
      await get("/api/v1/nope", TOKENS.director),
      await get("/sign-in"),
    ]) {
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    }
    const html = await (await get("/overview", TOKENS.director)).text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/<style/);
  });

  it("signs in with a token into an HttpOnly, SameSite=Strict session, and signs out", async () => {
    const refused = await app.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ token: "wrong-token-wrong" }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("set-cookie")).toBeNull();

    const signedIn = await app.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ token: TOKENS.smokingAnalyst, next: "/retention" }),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/retention");
    const setCookie = signedIn.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKENS.smokingAnalyst);
    const cookie = setCookie.split(";")[0] as string;

    expect((await get("/retention", undefined, { Cookie: cookie })).status).toBe(200);
    expect((await get("/api/v1/programmes", undefined, { Cookie: cookie })).status).toBe(200);
    // The session keeps the token's scope.
    expect((await get("/api/v1/overview?programme=prg_alcohol", undefined, { Cookie: cookie })).status).toBe(404);

    // A form posted from another site is refused.
    const crossSite = await app.request("/sign-out", {
      method: "POST",
      headers: { Cookie: cookie, Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(crossSite.status).toBe(403);

    const signedOut = await app.request("/sign-out", { method: "POST", headers: { Cookie: cookie } });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await get("/retention", undefined, { Cookie: cookie })).status).toBe(303);
    expect((await get("/api/v1/programmes", undefined, { Cookie: cookie })).status).toBe(401);

    // Only same-site paths are followed after signing in.
    const offsite = await app.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ token: TOKENS.director, next: "//evil.example/x" }),
    });
    expect(offsite.headers.get("location")).toBe("/overview");
  });

  it("shares annotations with everyone who sees the programme, and only them", async () => {
    const post = (token: string, body: unknown) =>
      app.request("/api/v1/annotations", {
        method: "POST",
        headers: { ...bearer(token), "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const added = await post(TOKENS.smokingAnalyst, {
      programmeId: "prg_smoking",
      day: "2026-06-01",
      label: "MI refresher training",
    });
    expect(added.status).toBe(201);
    const { annotationId } = await added.json();

    const seenBy = async (token: string) =>
      (await json("/api/v1/qi-series", token)).annotations.map((note: { label: string }) => note.label);
    expect(await seenBy(TOKENS.director)).toContain("MI refresher training");
    expect(await seenBy(TOKENS.smokingAnalyst)).toContain("MI refresher training");
    expect(await seenBy(TOKENS.alcoholDirector)).not.toContain("MI refresher training");

    expect(
      (await post(TOKENS.smokingAnalyst, { programmeId: "prg_alcohol", day: "2026-06-01", label: "x" })).status,
    ).toBe(404);
    expect((await post(TOKENS.smokingAnalyst, { programmeId: null, day: "2026-06-01", label: "x" })).status).toBe(403);
    expect((await post(TOKENS.engineer, { programmeId: "prg_smoking", day: "2026-06-01", label: "x" })).status).toBe(
      403,
    );
    const invalid = await post(TOKENS.director, { programmeId: "prg_smoking", day: "June", label: "" });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "day",
      "label",
    ]);

    const remove = (token: string) =>
      app.request(`/api/v1/annotations/${annotationId}`, { method: "DELETE", headers: bearer(token) });
    expect((await remove(TOKENS.alcoholDirector)).status).toBe(404);
    expect((await remove(TOKENS.smokingAnalyst)).status).toBe(204);
    expect(await seenBy(TOKENS.director)).not.toContain("MI refresher training");
  });
});
