import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { IMPORT_KINDS, type ImportKind, KINDS } from "./columns.ts";
import { ImportFileError } from "./csv.ts";
import { importRows } from "./import.ts";
import { importEventId } from "./mapping.ts";
import { validateImport } from "./report.ts";

const EXAMPLES = new URL("../../../docs/import/", import.meta.url);

function bytes(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

async function fileError(input: Uint8Array, kind: ImportKind): Promise<ImportFileError> {
  const error = await validateImport(input, kind).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ImportFileError)) throw new Error(`expected an ImportFileError, got ${String(error)}`);
  return error;
}

const SESSIONS_HEADER =
  "session_id,client_id,programme_id,therapist_id,status,scheduled_at,occurred_at,duration_minutes";
const ATTENDED = "ses_1,cli_1,prg_1,thr_1,attended,,2026-03-14T09:32:00Z,48";

describe("the example file of every kind", () => {
  it.each(IMPORT_KINDS)("docs/import/%s.csv is valid and uses every column of its kind", async (kind) => {
    const text = await readFile(fileURLToPath(new URL(`${kind}.csv`, EXAMPLES)), "utf8");
    const { report, events } = await validateImport(bytes(text), kind);
    expect(report.errors).toEqual([]);
    expect(report.rejectedRows).toBe(0);
    expect(events.length).toBeGreaterThan(0);
    const header = (text.split("\n")[0] ?? "").split(",");
    expect(header.sort()).toEqual(KINDS[kind].columns.map((column) => column.name).sort());
  });
});

describe("rows become the events ingest would take", () => {
  it("maps a session row to its event, source, subject and time", async () => {
    const { events } = await validateImport(bytes(`${SESSIONS_HEADER}\n${ATTENDED}\n`), "sessions");
    expect(events).toEqual([
      {
        specversion: "1.0",
        id: importEventId("sessions", "evoke.session.attended", ["ses_1", "attended"]),
        source: "urn:evoke:import:csv",
        type: "evoke.session.attended",
        time: "2026-03-14T09:32:00Z",
        subject: "cli_1",
        extensions: {},
        data: {
          sessionId: "ses_1",
          clientId: "cli_1",
          programmeId: "prg_1",
          therapistId: "thr_1",
          occurredAt: "2026-03-14T09:32:00Z",
          durationMinutes: 48,
        },
        datacontenttype: undefined,
        dataschema: undefined,
      },
    ]);
  });

  it("gives the same row the same ids on every run, and another row other ids", async () => {
    const file = bytes(`${SESSIONS_HEADER}\n${ATTENDED}\nses_2,cli_1,prg_1,thr_1,attended,,2026-03-15T09:32:00Z,30\n`);
    const first = await validateImport(file, "sessions");
    const second = await validateImport(file, "sessions", {});
    expect(second.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(new Set(first.events.map((event) => event.id)).size).toBe(2);
  });

  it("turns an enrolment with a discharge into two events, and tags split on |", async () => {
    const { events } = await validateImport(
      bytes(
        "client_id,programme_id,enrolled_at,tags,discharged_at,discharge_reason\ncli_1,prg_1,2026-01-01T00:00:00Z,a| b,2026-02-01T00:00:00Z,dropped_out\n",
      ),
      "enrolments",
    );
    expect(events.map((event) => event.type)).toEqual(["evoke.client.enrolled", "evoke.client.discharged"]);
    expect(events[0]?.data).toMatchObject({ tags: ["a", "b"] });
    expect(events[1]?.data).toMatchObject({ reason: "dropped_out" });
  });

  it("reads a readiness row's own instrument's items and the row's scale", async () => {
    const { events } = await validateImport(
      bytes(
        "client_id,programme_id,measured_at,instrument,importance,confidence,readiness,scale_min,scale_max\ncli_1,prg_1,2026-01-01T00:00:00Z,readiness-ruler,8,4,10,1,10\n",
      ),
      "readiness",
    );
    expect(events[0]?.data).toMatchObject({
      instrument: "readiness-ruler",
      scores: { importance: { value: 8, min: 1, max: 10 }, readiness: { value: 10, min: 1, max: 10 } },
    });
  });

  it("groups a session's transcript rows into one event, ordered by turn", async () => {
    const header = "session_id,client_id,therapist_id,programme_id,occurred_at,language,turn,speaker,text";
    const row = (turn: number, speaker: string, text: string) =>
      `ses_1,cli_1,thr_1,prg_1,2026-03-14T09:32:00Z,en,${turn},${speaker},${text}`;
    const { events, report } = await validateImport(
      bytes(
        [
          header,
          row(2, "client", '"Well, I ""might"" cut down."'),
          row(1, "therapist", "Hello"),
          "ses_2,cli_2,thr_1,prg_1,2026-03-14T10:00:00Z,en,1,therapist,Hi",
        ].join("\n"),
      ),
      "transcripts",
    );
    expect(report).toMatchObject({ rows: 3, validRows: 3, events: 2 });
    expect(events[0]?.data).toMatchObject({
      utterances: [
        { speaker: "therapist", text: "Hello" },
        { speaker: "client", text: 'Well, I "might" cut down.' },
      ],
    });
  });
});

describe("the contract's time limits", () => {
  const OLD = "ses_old,cli_1,prg_1,thr_1,attended,,1995-03-14T09:32:00Z,48";

  it("refuses a session before the default earliest date, naming the column", async () => {
    const { report } = await validateImport(bytes(`${SESSIONS_HEADER}\n${OLD}\n`), "sessions");
    expect(report.errors.map((error) => [error.line, error.column])).toEqual([[2, "occurred_at"]]);
  });

  it("takes it under the limits ingest was configured with (a backfill of older history)", async () => {
    const timeLimits = {
      maxFutureSkewHours: 24,
      maxScheduleAheadDays: 730,
      earliest: new Date("1990-01-01T00:00:00Z"),
    };
    const { report } = await validateImport(bytes(`${SESSIONS_HEADER}\n${OLD}\n`), "sessions", {
      validation: { timeLimits },
    });
    expect(report.errors).toEqual([]);
    expect(report.validRows).toBe(1);
  });
});

describe("row errors: line, column and reason, never the value", () => {
  it("reports a bad row and lets the good rows through", async () => {
    const secret = "Jane Smith 1970";
    const { report, events } = await validateImport(
      bytes(
        `${SESSIONS_HEADER}\n${ATTENDED}\nses_2,${secret},prg_1,thr_1,attended,,14/03/2026,forty\nses_3,cli_1,prg_1,thr_1,attended,,2026-03-16T09:32:00Z,\n`,
      ),
      "sessions",
    );
    expect(events.map((event) => (event.data as { sessionId?: string }).sessionId)).toEqual(["ses_1", "ses_3"]);
    expect(report).toMatchObject({ rows: 3, validRows: 2, rejectedRows: 1, events: 2 });
    expect(report.errors).toEqual([
      { line: 3, column: "client_id", reason: expect.stringContaining("must be an ID") },
      { line: 3, column: "occurred_at", reason: expect.stringContaining("RFC 3339") },
      { line: 3, column: "duration_minutes", reason: "must be a number" },
    ]);
    expect(JSON.stringify(report)).not.toContain("Jane");
    expect(JSON.stringify(report)).not.toContain("14/03");
  });

  it("names the row's status rules: an attended row needs occurred_at, a bad status is named", async () => {
    const { report } = await validateImport(
      bytes(`${SESSIONS_HEADER}\nses_1,cli_1,prg_1,thr_1,attended,,,\nses_2,cli_1,prg_1,thr_1,held,,,\n`),
      "sessions",
    );
    expect(report.errors).toEqual([
      { line: 2, column: "occurred_at", reason: "is required for a attended session" },
      { line: 3, column: "status", reason: "must be scheduled, attended, missed or cancelled" },
    ]);
  });

  it("counts lines from the file: a quoted value over two lines moves the next row's line", async () => {
    const header = "session_id,client_id,therapist_id,programme_id,occurred_at,language,turn,speaker,text";
    const { report } = await validateImport(
      bytes(
        [
          header,
          'ses_1,cli_1,thr_1,prg_1,2026-03-14T09:32:00Z,en,1,therapist,"two\nlines"',
          "ses_1,cli_1,thr_1,prg_1,2026-03-14T09:32:00Z,en,2,narrator,Hi",
        ].join("\r\n"),
      ),
      "transcripts",
    );
    expect(report.errors).toEqual([{ line: 4, column: "speaker", reason: "must be one of therapist, client" }]);
  });

  it("reports a row with a missing or extra field", async () => {
    const { report } = await validateImport(bytes(`${SESSIONS_HEADER}\nses_1,cli_1,prg_1\n`), "sessions");
    expect(report.errors).toEqual([{ line: 2, reason: expect.stringContaining("has 3 fields but the header has 8") }]);
  });

  it("rejects a transcript session whose rows are split, and a differing session-level column", async () => {
    const header = "session_id,client_id,therapist_id,programme_id,occurred_at,language,turn,speaker,text";
    const { report, events } = await validateImport(
      bytes(
        [
          header,
          "ses_1,cli_1,thr_1,prg_1,2026-03-14T09:32:00Z,en,1,therapist,Hi",
          "ses_1,cli_1,thr_2,prg_1,2026-03-14T09:32:00Z,en,2,client,Hello",
          "ses_2,cli_2,thr_1,prg_1,2026-03-14T10:00:00Z,en,1,therapist,Hi",
          "ses_1,cli_1,thr_1,prg_1,2026-03-14T09:32:00Z,en,3,client,Again",
        ].join("\n"),
      ),
      "transcripts",
    );
    expect(events.map((event) => (event.data as { sessionId?: string }).sessionId)).toEqual(["ses_2"]);
    expect(report.errors).toEqual([
      {
        line: 3,
        column: "therapist_id",
        reason: "must be the same on every row of the session (it differs from line 2)",
      },
      {
        line: 5,
        column: "session_id",
        reason: "belongs to the session that started at line 2: a session's rows must be next to each other",
      },
    ]);
  });

  it("yields outcomes as it reads (streaming), in file order", async () => {
    const lines = [SESSIONS_HEADER, ATTENDED, "ses_2,cli_1,prg_1,thr_1,nope,,,"];
    const outcomes = [];
    for await (const row of importRows(
      lines.map((line) => bytes(`${line}\n`)),
      "sessions",
    ))
      outcomes.push([row.line, row.ok]);
    expect(outcomes).toEqual([
      [2, true],
      [3, false],
    ]);
  });
});

describe("the header check", () => {
  it("names missing and unknown columns", async () => {
    const error = await fileError(bytes("session_id,client_id,status,when\n"), "sessions");
    expect(error.problem).toBe("header");
    expect(error.details).toEqual({ line: 1, missing: ["programme_id"], unknown: ["when"] });
    expect(error.message).toContain("missing column programme_id");
    expect(error.message).toContain('unknown column "when"');
  });

  it("names a column given twice", async () => {
    const error = await fileError(bytes(`${SESSIONS_HEADER},status\n`), "sessions");
    expect(error.message).toBe("The header names status more than once.");
  });

  it("says the file is empty", async () => {
    expect((await fileError(bytes(""), "sessions")).problem).toBe("empty");
  });
});

describe("malformed files", () => {
  it("takes a UTF-8 BOM and Windows line endings", async () => {
    const { report } = await validateImport(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(`${SESSIONS_HEADER}\r\n${ATTENDED}\r\n`)]),
      "sessions",
    );
    expect(report).toMatchObject({ rows: 1, validRows: 1 });
  });

  it.each([
    [";", "semicolons (;)"],
    ["\t", "tabs"],
  ])("names the wrong delimiter %j", async (delimiter, name) => {
    const error = await fileError(bytes(`${SESSIONS_HEADER.replaceAll(",", delimiter)}\n`), "sessions");
    expect(error.problem).toBe("delimiter");
    expect(error.message).toContain(`separated by ${name}`);
  });

  it("refuses UTF-16 with a hint", async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${SESSIONS_HEADER}\n`, "utf16le")]);
    const error = await fileError(utf16, "sessions");
    expect(error.problem).toBe("encoding");
    expect(error.message).toContain("UTF-16");
  });

  it("refuses bytes that are not UTF-8 and names their line", async () => {
    const latin1 = Buffer.concat([
      bytes(`${SESSIONS_HEADER}\n${ATTENDED}\n`),
      Buffer.from("ses_2,caf\xe9\n", "latin1"),
    ]);
    const error = await fileError(latin1, "sessions");
    expect(error.problem).toBe("encoding");
    expect(error.details.line).toBe(3);
    expect(error.message).toContain("Line 3");
  });

  it("names the line of a quote that is never closed", async () => {
    const error = await fileError(bytes(`${SESSIONS_HEADER}\n${ATTENDED}\n"ses_2,cli_1\n`), "sessions");
    expect(error.problem).toBe("malformed");
    expect(error.message).toContain("never closed");
  });

  it("names a stray quote after a quoted field", async () => {
    const error = await fileError(bytes(`${SESSIONS_HEADER}\n"ses_1"x,cli_1\n`), "sessions");
    expect(error.problem).toBe("malformed");
    expect(error.details.line).toBe(2);
  });
});
