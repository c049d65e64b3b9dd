import { createDashboardApp, openApiDocument } from "@evoke/dashboard";
import { recordEvents } from "@evoke/db";
import { createLogger } from "@evoke/logger";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agreementClinic, KNOWN_MODELS, NEW_MODEL, OLD_MODEL } from "../support/agreement-clinic.ts";
import { bearer, DEMO_NOW, dashboardTokens, parseCsv, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * The coder-agreement endpoint and page through app.request, over the hand-written clinic of
 * test/support/agreement-clinic.ts in a real PostgreSQL database: which model version the
 * figures come from, how far it agrees with the human raters (ICCs from SciPy 1.17 on the
 * fixture's pairs, McGraw & Wong's interval), the filters, roles and programme scopes.
 */

interface Measure {
  measure: string;
  n: number;
  icc: number | null;
  iccInterval: { lower: number; upper: number } | null;
  interpretation: string | null;
  meanDifference: { mean: number; lower: number; upper: number } | null;
}
interface Model {
  modelVersion: string;
  codings: number;
  sessions: number;
  humanRatedSessions: number;
  lastCodedAt: string;
  known: boolean;
  trainedOn: string | null;
  isDefault: boolean;
}
interface Answer {
  sessions: number;
  modelVersions: string[];
  measures: Measure[];
  verdictAgreement: { technical: { count: number; of: number }; relational: { count: number; of: number } };
  models: Model[];
}

/** A page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replaceAll(/<[^>]+>/g, " ")
    .replaceAll("&#39;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&")
    .replaceAll(/\s+/g, " ");
}

describe("dashboard coder agreement", () => {
  let database: TestDatabase;
  let app: Hono;
  /** The same installation without model files: versions it cannot describe. */
  let bareApp: Hono;

  const get = (path: string, token?: string, on: () => Hono = () => app) =>
    on().request(path, { headers: token === undefined ? {} : bearer(token) });
  const answer = async (path: string, token: string = TOKENS.director, on: () => Hono = () => app) => {
    const response = await get(path, token, on);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as Answer;
  };
  const page = async (path: string, token: string = TOKENS.director) => {
    const response = await get(path, token);
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const technical = (result: Answer) => result.measures.find((measure) => measure.measure === "technical");

  beforeAll(async () => {
    database = await createTestDatabase("dashboard_agreement");
    await database.db.transaction((tx) => recordEvents(tx, agreementClinic()));
    const options = {
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => DEMO_NOW,
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-agreement-test", level: "silent" }),
    };
    app = createDashboardApp({ ...options, knownModels: KNOWN_MODELS }) as unknown as Hono;
    bareApp = createDashboardApp(options) as unknown as Hono;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("answers agreement on the sessions both a human and the coder rated, and the model versions behind it", async () => {
    const result = await answer("/api/v1/agreement");
    // Ten rated sessions; by default each one's latest automatic coding: the alcohol sessions'
    // recodings by the new model, the smoking sessions' codings by the old one.
    expect(result.sessions).toBe(10);
    expect(result.modelVersions).toEqual([OLD_MODEL, NEW_MODEL]);
    // SciPy on the fixture's (automatic, human) Technical pairs: ICC 0.925926, 95% CI 0.734323 to 0.981027.
    expect(technical(result)).toMatchObject({ n: 10, interpretation: "excellent" });
    expect(technical(result)?.icc).toBeCloseTo(0.9259259259, 5);
    expect(technical(result)?.iccInterval?.lower).toBeCloseTo(0.7343227677, 4);
    expect(technical(result)?.iccInterval?.upper).toBeCloseTo(0.9810271754, 4);
    expect(technical(result)?.meanDifference?.mean).toBeCloseTo(-0.04, 5);
    expect(result.measures.map((measure) => measure.measure)).toHaveLength(18);
    expect(result.verdictAgreement.technical.of).toBe(10);

    // Every version that coded a session in scope, the one in use (latest coding) first.
    expect(result.models).toEqual([
      {
        modelVersion: NEW_MODEL,
        codings: 11,
        sessions: 11,
        humanRatedSessions: 6,
        lastCodedAt: "2026-10-28T11:00:00.000Z",
        known: true,
        trainedOn: KNOWN_MODELS[0]?.trainedOn,
        isDefault: true,
        encoder: "e5-small-v2-q",
      },
      {
        modelVersion: OLD_MODEL,
        codings: 10,
        sessions: 10,
        humanRatedSessions: 10,
        lastCodedAt: "2026-10-19T11:00:00.000Z",
        known: true,
        trainedOn: KNOWN_MODELS[1]?.trainedOn,
        isDefault: false,
        encoder: null,
      },
    ]);
  });

  it("compares the model version asked for, and only its codings", async () => {
    const old = await answer(`/api/v1/agreement?modelVersion=${OLD_MODEL}`);
    expect(old.sessions).toBe(10);
    expect(old.modelVersions).toEqual([OLD_MODEL]);
    // SciPy: ICC 0.507813 (fair), 95% CI −0.163970 to 0.851938; mean difference −0.1.
    expect(technical(old)).toMatchObject({ n: 10, interpretation: "fair" });
    expect(technical(old)?.icc).toBeCloseTo(0.5078125, 5);
    expect(technical(old)?.iccInterval?.lower).toBeCloseTo(-0.1639698183, 4);
    expect(technical(old)?.meanDifference?.mean).toBeCloseTo(-0.1, 5);

    const fresh = await answer(`/api/v1/agreement?modelVersion=${NEW_MODEL}`);
    expect(fresh.sessions).toBe(6);
    expect(fresh.modelVersions).toEqual([NEW_MODEL]);
    expect(technical(fresh)?.icc).toBeCloseTo(0.9909365559, 5);
    // The list of versions does not depend on the one compared.
    expect(fresh.models.map((model) => model.modelVersion)).toEqual([NEW_MODEL, OLD_MODEL]);

    const never = await answer("/api/v1/agreement?modelVersion=annomi-lr-000000000000");
    expect(never.sessions).toBe(0);
    expect(technical(never)?.icc).toBeNull();
  });

  it("applies the programme, therapist and period filters, and names a bad parameter", async () => {
    const therapist = await answer(`/api/v1/agreement?therapist=thr_alc_1&modelVersion=${NEW_MODEL}`);
    expect(therapist.sessions).toBe(3);
    expect(technical(therapist)?.icc).toBeCloseTo(0.9797297297, 5);
    expect(therapist.models.map((model) => [model.modelVersion, model.sessions])).toEqual([
      [NEW_MODEL, 4],
      [OLD_MODEL, 3],
    ]);

    // Sessions from 1 October: alcohol 4-6 (new model) and smoking 3-4 (old).
    const october = await answer("/api/v1/agreement?from=2026-10-01&to=2026-10-31");
    expect(october.sessions).toBe(5);
    expect(technical(october)?.icc).toBeCloseTo(0.9309895833, 5);

    const diet = await answer("/api/v1/agreement?programme=prg_diet");
    expect(diet.sessions).toBe(0);
    expect(diet.models).toMatchObject([{ modelVersion: NEW_MODEL, sessions: 3, humanRatedSessions: 0 }]);

    const bad = await get("/api/v1/agreement?modelVersion=not%20a%20version", TOKENS.director);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    expect((await bad.json()).errors.map((error: { field: string }) => error.field)).toEqual(["modelVersion"]);
  });

  it("never shows a programme-scoped token another programme's sessions or model versions", async () => {
    const scoped = await answer("/api/v1/agreement", TOKENS.smokingAnalyst);
    expect(scoped).toEqual(await answer("/api/v1/agreement?programme=prg_smoking"));
    expect(scoped.sessions).toBe(4);
    // SciPy on the four smoking pairs: ICC 0.689655.
    expect(technical(scoped)?.icc).toBeCloseTo(0.6896551724, 5);
    // The new model coded only other programmes: the smoking analyst never hears of it.
    expect(scoped.models.map((model) => model.modelVersion)).toEqual([OLD_MODEL]);
    const raw = await (await get(`/api/v1/agreement?modelVersion=${NEW_MODEL}`, TOKENS.smokingAnalyst)).text();
    expect(JSON.parse(raw).sessions).toBe(0);
    expect(raw).not.toContain(NEW_MODEL);

    const alcohol = await answer("/api/v1/agreement", TOKENS.alcoholDirector);
    expect(alcohol.sessions).toBe(6);
    expect(alcohol.models.map((model) => [model.modelVersion, model.sessions])).toEqual([
      [NEW_MODEL, 8],
      [OLD_MODEL, 6],
    ]);

    for (const path of ["/api/v1/agreement?programme=prg_alcohol", "/agreement?programme=prg_alcohol"]) {
      const response = await get(path, TOKENS.smokingAnalyst);
      expect(response.status, path).toBe(404);
    }
    const html = await page("/agreement", TOKENS.smokingAnalyst);
    expect(html).not.toContain(NEW_MODEL);
    expect(html).not.toContain("Alcohol brief intervention");
    const csv = parseCsv(await (await get("/api/v1/agreement?format=csv", TOKENS.smokingAnalyst)).text());
    const versions = csv[0]?.indexOf("model_versions") ?? -1;
    expect(new Set(csv.slice(1).map((row) => row[versions]))).toEqual(new Set([OLD_MODEL]));
  });

  it("refuses the engineer role with a problem document, and anyone without a token", async () => {
    const refused = await get("/api/v1/agreement", TOKENS.engineer);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ type: "/problems/forbidden", status: 403 });
    expect((await get("/agreement", TOKENS.engineer)).status).toBe(403);
    expect(await (await get("/pipeline", TOKENS.engineer)).text()).not.toContain('href="/agreement');

    const anonymous = await get("/api/v1/agreement");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers as CSV a spreadsheet can read, one row per measure, the same numbers as the JSON", async () => {
    const response = await get(`/api/v1/agreement?format=csv&modelVersion=${OLD_MODEL}`, TOKENS.director);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="evoke-agreement.csv"');
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual([
      "measure",
      "kind",
      "n",
      "icc",
      "icc_lower",
      "icc_upper",
      "band",
      "mean_difference",
      "mean_difference_lower",
      "mean_difference_upper",
      "model_versions",
    ]);
    expect(rows).toHaveLength(19);
    const row = rows.find((cells) => cells[0] === "technical") ?? [];
    expect(row.slice(1, 3)).toEqual(["summary", "10"]);
    expect(Number(row[3])).toBeCloseTo(0.5078125, 5);
    expect(Number(row[4])).toBeCloseTo(-0.1639698183, 4);
    expect(row[6]).toBe("fair");
    expect(row[10]).toBe(OLD_MODEL);
  });

  it("documents the endpoint and its filters in OpenAPI", () => {
    const operation = (openApiDocument().paths as Record<string, { get?: { parameters: { name: string }[] } }>)[
      "/agreement"
    ]?.get;
    expect(operation?.parameters.map((parameter) => parameter.name).sort()).toEqual(
      ["format", "from", "modelVersion", "programme", "therapist", "to"].sort(),
    );
  });

  it("heads the page with the model version in use, whether it is the default, and what it was trained on", async () => {
    const html = await page("/agreement");
    const text = textOf(html);
    expect(html).toContain(`Model in use: <code>${NEW_MODEL}</code>`);
    expect(text).toContain("this installation's default model");
    expect(text).toContain(`Trained on: ${KNOWN_MODELS[0]?.trainedOn}`);
    // A selector, since two versions coded sessions here; the chart with its table and CSV.
    expect(html).toMatch(/<select name="modelVersion"[^>]*>/);
    expect(html).toContain(`<option value="${OLD_MODEL}">`);
    expect(html).toContain('<figure class="panel" id="icc"');
    expect(html).toMatch(/<svg[^>]*aria-label="ICC\(2,1\)[^"]*"/);
    expect(html).toContain("Table view");
    expect(html).toContain('href="/api/v1/agreement?format=csv"');
    expect(text).toContain("Agreement on this clinic's own double-coded sessions: 10 sessions");
    expect(text).toContain("These figures mix 2 model versions");
    expect(text).toContain("packages/mi-coding/README.md");
    expect(html).toMatch(/<a href="\/agreement"[^>]*aria-current="page"[^>]*>Coder agreement<\/a>/);

    // The previous model chosen: its figures, said not to be the version in use.
    const old = textOf(await page(`/agreement?modelVersion=${OLD_MODEL}`));
    expect(old).toContain(`Model in use: ${NEW_MODEL}`);
    expect(old).toContain(`Showing ${OLD_MODEL}, not the version in use (${NEW_MODEL})`);
    expect(old).toContain("0.51 (95% CI -0.16 to 0.85)");

    // Where the old model is the latest, it is the one in use, and not the default.
    const smoking = textOf(await page("/agreement", TOKENS.smokingAnalyst));
    expect(smoking).toContain(`Model in use: ${OLD_MODEL}`);
    expect(smoking).toContain("not this installation's default model");
    expect(smoking).toContain(`Trained on: ${KNOWN_MODELS[1]?.trainedOn}`);
  });

  it("says when the installation does not have the model that coded the sessions", async () => {
    const result = await answer("/api/v1/agreement", TOKENS.director, () => bareApp);
    expect(result.models[0]).toMatchObject({
      modelVersion: NEW_MODEL,
      known: false,
      trainedOn: null,
      isDefault: false,
    });
    const text = textOf(await (await get("/agreement", TOKENS.director, () => bareApp)).text());
    expect(text).toContain(`Model in use: ${NEW_MODEL}`);
    expect(text).toContain("a model this installation does not have");
    expect(text).toContain("Trained on: not known to this installation");
  });

  it("shows what to do when no session has both a human rating and an automatic coding", async () => {
    const html = await page("/agreement?programme=prg_diet");
    const text = textOf(html);
    expect(text).toContain(`Model in use: ${NEW_MODEL}`);
    expect(text).toContain("No session in this selection has both a human MITI rating and an automatic coding");
    expect(text).toContain("evoke.fidelity.rated");
    expect(html).not.toContain('id="icc"');
    // With a version that rated nothing here, the page points at those that did.
    const unrated = textOf(await page(`/agreement?programme=prg_smoking&modelVersion=${NEW_MODEL}`));
    expect(unrated).toContain(`and an automatic coding by ${NEW_MODEL}`);
    expect(unrated).toContain(`Versions with double-coded sessions in this selection: ${OLD_MODEL} (4)`);
  });
});
