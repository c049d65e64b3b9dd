import type { AddressInfo } from "node:net";
import { Secret } from "@evoke/config";
import { createDashboardApp } from "@evoke/dashboard";
import { createLogger } from "@evoke/logger";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, dashboardTokens, TOKENS } from "../support/dashboard.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { createTestIngest, messageCount, TEST_KEY, type TestIngest } from "../support/ingest.ts";

/*
 * The dashboard's Import page: a director's (or an engineer's) upload goes to the real ingest
 * app over HTTP (POST /v1/import), its events reach Kafka, and the page shows the row report;
 * an analyst may not import.
 */

const CSV = [
  "session_id,client_id,programme_id,therapist_id,status,scheduled_at,occurred_at,duration_minutes",
  "ses_p1,cli_1,prg_1,thr_1,attended,,2026-03-14T09:32:00Z,48",
  "ses_p2,cli_1,prg_1,thr_1,attended,,14/03/2026,48",
].join("\n");

describe("the dashboard's Import page", () => {
  let ingest: TestIngest;
  let server: ReturnType<typeof serve>;
  let database: TestDatabase;
  let app: ReturnType<typeof createDashboardApp>;

  beforeAll(async () => {
    ingest = await createTestIngest("dashboard-import");
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: ingest.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    database = await createTestDatabase("dashboard_import");
    app = createDashboardApp({
      db: database.db,
      pipeline: { consumerLag: null, deadLetters: null },
      now: () => new Date(),
      tokens: dashboardTokens(),
      logger: createLogger({ name: "dashboard-import-test", level: "silent" }),
      ingest: {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        apiKey: new Secret(TEST_KEY.secret),
      },
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await ingest?.close();
    await database?.drop();
  });

  const upload = (token: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("kind", "sessions");
    form.set("file", new Blob([CSV], { type: "text/csv" }), "sessions.csv");
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    return app.request("/import", { method: "POST", headers: bearer(token), body: form });
  };

  it("sends the file through ingest and shows the rejected row by line and column", async () => {
    const page = await app.request("/import", { headers: bearer(TOKENS.engineer) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('enctype="multipart/form-data"');

    const dry = await upload(TOKENS.director, { dryRun: "true" });
    expect(dry.status).toBe(200);
    expect(await dry.text()).toContain("Dry run: nothing was sent.");
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(0);

    const response = await upload(TOKENS.director);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("1 valid (1 events), 1 rejected. 1 events were sent and acknowledged.");
    expect(html).toMatch(/<td[^>]*>3<\/td><td[^>]*>occurred_at<\/td>/);
    expect(html).not.toContain("14/03/2026");
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(1);

    // Each upload is in the access audit trail: who, and how much in counts, never the rows.
    const rows = await database.sql<{ actor: string; outcome: string; details: Record<string, number> }[]>`
      select actor, outcome, details from access_audit where action = 'data.import' order by audit_id`;
    expect(rows).toEqual([
      { actor: "director", outcome: "allowed", details: { rows: 2, validRows: 1, rejectedRows: 1, eventsSent: 0 } },
      { actor: "director", outcome: "allowed", details: { rows: 2, validRows: 1, rejectedRows: 1, eventsSent: 1 } },
    ]);
  });

  it("shows ingest's problem when a row is bad and the upload is all or nothing", async () => {
    const response = await upload(TOKENS.engineer, { allOrNothing: "true" });
    const html = await response.text();
    expect(html).toContain("Some rows of the CSV file are not valid");
    expect(html).toContain("Nothing was sent.");
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(1);
  });

  it("is not for analysts", async () => {
    expect((await app.request("/import", { headers: bearer(TOKENS.smokingAnalyst) })).status).toBe(403);
    expect((await upload(TOKENS.smokingAnalyst)).status).toBe(403);
  });
});
