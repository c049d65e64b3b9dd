import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importEventId } from "@evoke/import";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMiCli } from "../support/cli.ts";
import { createTestIngest, messageCount, readMessages, TEST_KEY, type TestIngest } from "../support/ingest.ts";

/*
 * CSV import through the real ingest app and a real broker: POST /v1/import (text/csv and a
 * multipart upload) and `pnpm mi import` (which sends through POST /v1/events) put the rows'
 * events on the intake topic; importing the same file again gives the same event ids.
 */

const EXAMPLES = fileURLToPath(new URL("../../docs/import/", import.meta.url));
const SESSIONS_HEADER =
  "session_id,client_id,programme_id,therapist_id,status,scheduled_at,occurred_at,duration_minutes";

function postImport(ingest: TestIngest, query: string, body: BodyInit, contentType?: string) {
  return ingest.app.request(`/v1/import?${query}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${TEST_KEY.secret}`,
      ...(contentType === undefined ? {} : { "content-type": contentType }),
    },
    body,
  });
}

function idsOf(messages: readonly { headers: Record<string, string> }[]): string[] {
  return messages.map((message) => message.headers.ce_id ?? "").sort();
}

describe("POST /v1/import", () => {
  let ingest: TestIngest;

  beforeAll(async () => {
    ingest = await createTestIngest("csv-import");
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it("publishes the good rows, reports the bad one by line and column, and a re-run gives the same ids", async () => {
    const csv = [
      SESSIONS_HEADER,
      "ses_a,cli_1,prg_1,thr_1,attended,,2026-03-14T09:32:00Z,48",
      "ses_b,cli_1,prg_1,thr_1,attended,,not a time,30",
      "ses_c,cli_2,prg_1,thr_1,scheduled,2026-03-21T09:30:00Z,,",
    ].join("\r\n");
    const response = await postImport(ingest, "kind=sessions", csv, "text/csv; charset=utf-8");
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      kind: "sessions",
      rows: 3,
      validRows: 2,
      rejectedRows: 1,
      events: 2,
      published: 2,
      dryRun: false,
      errors: [{ line: 3, column: "occurred_at", reason: expect.stringContaining("RFC 3339") }],
    });
    const expected = [
      importEventId("sessions", "evoke.session.attended", ["ses_a", "attended"]),
      importEventId("sessions", "evoke.session.scheduled", ["ses_c", "scheduled"]),
    ].sort();
    const first = await readMessages(ingest.kafka, ingest.topic, 2);
    expect(idsOf(first)).toEqual(expected);
    expect(first.find((message) => message.headers.ce_type === "evoke.session.attended")).toMatchObject({
      key: "cli_1",
      headers: { ce_source: "urn:evoke:import:csv", ce_subject: "cli_1" },
      value: { sessionId: "ses_a", durationMinutes: 48 },
    });

    const again = await postImport(ingest, "kind=sessions", csv, "text/csv");
    expect(again.status).toBe(202);
    const both = await readMessages(ingest.kafka, ingest.topic, 4);
    expect(new Set(idsOf(both))).toEqual(new Set(expected));
  });

  it("takes a multipart upload, and dryRun publishes nothing", async () => {
    const before = await messageCount(ingest.kafka, ingest.topic);
    const form = new FormData();
    form.set("file", new Blob([await readFile(join(EXAMPLES, "enrolments.csv"))], { type: "text/csv" }), "e.csv");
    const dry = await postImport(ingest, "kind=enrolments&dryRun=true", form);
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ rows: 2, events: 3, published: 0, dryRun: true });
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(before);

    const real = new FormData();
    real.set("file", new Blob([await readFile(join(EXAMPLES, "enrolments.csv"))], { type: "text/csv" }), "e.csv");
    const response = await postImport(ingest, "kind=enrolments", real);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ rows: 2, events: 3, published: 3 });
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(before + 3);
  });

  it("with allOrNothing publishes nothing when a row is bad, and says which", async () => {
    const before = await messageCount(ingest.kafka, ingest.topic);
    const csv = `${SESSIONS_HEADER}\nses_d,cli_1,prg_1,thr_1,attended,,2026-03-14T09:32:00Z,48\nses_e,cli_1,prg_1,,attended,,2026-03-14T09:32:00Z,48\n`;
    const response = await postImport(ingest, "kind=sessions&allOrNothing=true", csv, "text/csv");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({
      type: "/problems/invalid-rows",
      report: { rejectedRows: 1, published: 0, errors: [{ line: 3, column: "therapist_id", reason: "is required" }] },
    });
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(before);
  });

  it("answers a file it cannot read with problem+json naming what is wrong", async () => {
    const header = await postImport(ingest, "kind=sessions", "session_id,client_id,status,room\n", "text/csv");
    expect(header.status).toBe(400);
    expect(await header.json()).toMatchObject({
      type: "/problems/invalid-csv",
      problem: "header",
      line: 1,
      missing: ["programme_id"],
      unknown: ["room"],
    });

    const semicolons = await postImport(ingest, "kind=sessions", SESSIONS_HEADER.replaceAll(",", ";"), "text/csv");
    expect(await semicolons.json()).toMatchObject({ type: "/problems/invalid-csv", problem: "delimiter" });

    const noKind = await postImport(ingest, "", "x", "text/csv");
    expect(noKind.status).toBe(400);
    expect((await noKind.json()).detail).toContain("kind is required");

    const wrongType = await postImport(ingest, "kind=sessions", "{}", "application/json");
    expect(wrongType.status).toBe(415);
  });
});

describe("pnpm mi import", () => {
  let ingest: TestIngest;
  let server: ReturnType<typeof serve>;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    ingest = await createTestIngest("csv-import-cli");
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: ingest.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = await mkdtemp(join(tmpdir(), "evoke-import-"));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await ingest?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("sends a file through ingest, skips it when run again, and --restart resends the same ids", async () => {
    const file = join(dir, "transcripts.csv");
    await writeFile(file, await readFile(join(EXAMPLES, "transcripts.csv")));
    const args = ["import", file, "--kind", "transcripts", "--ingest", url, "--key", TEST_KEY.secret];
    const env = { EVOKE_DATA_DIR: dir };

    const first = runMiCli(args, env);
    expect((await first.exit).code, first.stderr()).toBe(0);
    expect(JSON.parse(first.stdout())).toMatchObject({ kind: "transcripts", rows: 3, events: 1 });
    expect(first.stderr()).toContain("Sent 1 events");
    // Transcripts travel on a topic of their own.
    const [message] = await readMessages(ingest.kafka, ingest.transcriptsTopic, 1);
    expect(message?.headers.ce_id).toBe(
      importEventId("transcripts", "evoke.transcript.submitted", ["ses_2026_03_14_0930"]),
    );
    expect(message?.value).toMatchObject({ utterances: [{}, {}, {}] });

    const second = runMiCli(args, env);
    expect((await second.exit).code).toBe(0);
    expect(second.stderr()).toContain("imported already");
    expect(await messageCount(ingest.kafka, ingest.transcriptsTopic)).toBe(1);

    const restart = runMiCli([...args, "--restart"], env);
    expect((await restart.exit).code).toBe(0);
    const both = await readMessages(ingest.kafka, ingest.transcriptsTopic, 2);
    expect(new Set(idsOf(both)).size).toBe(1);
  });

  it("sends a file of several batches, each row's event once, and resumes from its checkpoint", async () => {
    const file = join(dir, "many.csv");
    const rows = Array.from(
      { length: 3_500 },
      (_, n) => `ses_m${n},cli_${n % 50},prg_1,thr_1,attended,,2026-03-14T09:32:00Z,${10 + (n % 50)}`,
    );
    await writeFile(file, `${SESSIONS_HEADER}\n${rows.join("\n")}\n`);
    const state = join(dir, "many-state.json");
    const before = await messageCount(ingest.kafka, ingest.topic);
    const args = ["import", file, "--kind", "sessions", "--ingest", url, "--key", TEST_KEY.secret, "--state", state];

    // A checkpoint from an interrupted run that had 2,000 events acknowledged: only the rest go.
    const first = runMiCli([...args, "--dry-run"], { EVOKE_DATA_DIR: dir });
    expect((await first.exit).code).toBe(0);
    const digest = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
    await writeFile(
      state,
      JSON.stringify({
        file: digest,
        kind: "sessions",
        source: "urn:evoke:import:csv",
        events: 3_500,
        acknowledged: 2_000,
      }),
    );
    const resumed = runMiCli(args, { EVOKE_DATA_DIR: dir });
    expect((await resumed.exit).code, resumed.stderr()).toBe(0);
    expect(resumed.stderr()).toContain("resumed after 2,000");
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(before + 1_500);
    expect(JSON.parse(await readFile(state, "utf8"))).toMatchObject({ acknowledged: 3_500 });

    const all = runMiCli([...args, "--restart"], { EVOKE_DATA_DIR: dir });
    expect((await all.exit).code, all.stderr()).toBe(0);
    const messages = await readMessages(ingest.kafka, ingest.topic, before + 5_000);
    const attended = messages.filter((message) => message.headers.ce_type === "evoke.session.attended");
    expect(attended).toHaveLength(5_000);
    const expected = rows.map((_, n) => importEventId("sessions", "evoke.session.attended", [`ses_m${n}`, "attended"]));
    expect(new Set(idsOf(attended))).toEqual(new Set(expected));
  });

  it("reports bad rows with their line and exits 1; --all-or-nothing then sends nothing", async () => {
    const file = join(dir, "bad.csv");
    await writeFile(file, `${SESSIONS_HEADER}\nses_x,cli_1,prg_1,thr_1,attended,,2026-03-14T09:32:00Z,-5\n`);
    const before = await messageCount(ingest.kafka, ingest.topic);
    const run = runMiCli(
      ["import", file, "--kind", "sessions", "--all-or-nothing", "--ingest", url, "--key", TEST_KEY.secret],
      { EVOKE_DATA_DIR: dir },
    );
    expect((await run.exit).code).toBe(1);
    expect(run.stderr()).toContain("line 2, column duration_minutes: must be more than 0");
    expect(run.stderr()).toContain("--all-or-nothing: nothing was sent");
    expect(await messageCount(ingest.kafka, ingest.topic)).toBe(before);
  });
});
