import { type AccessAuditEntry, listAccessAudit, purgeAccessAudit, recordAccessAudit } from "@evoke/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * The access_audit table keeps its rows against the application's own role: UPDATE, DELETE and
 * TRUNCATE fail, and only purge_access_audit(days) removes rows, those older than the retention.
 */

const entry: AccessAuditEntry = {
  actor: "dir",
  actorKind: "token",
  role: "director",
  action: "session.read",
  method: "GET",
  path: "/api/v1/sessions/ses_1",
  programmeId: "prg_a",
  sessionId: "ses_1",
  clientId: "cli_1",
  outcome: "allowed",
  status: 200,
  requestId: "r1",
};

describe("access_audit is append-only", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("access_audit");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("refuses UPDATE, DELETE and TRUNCATE from the application's role", async () => {
    await recordAccessAudit(database.db, entry);
    const { sql } = database;
    await expect(sql`update access_audit set actor = 'someone else'`).rejects.toThrow(/append-only/);
    await expect(sql`delete from access_audit`).rejects.toThrow(/append-only/);
    await expect(sql`truncate access_audit`).rejects.toThrow(/append-only/);
    // Not even by claiming to be the purge: the trigger reads the call stack, not a setting.
    await expect(
      sql.begin(async (tx) => {
        await tx`select set_config('evoke.access_audit_purge', 'on', true)`;
        await tx`delete from access_audit`;
      }),
    ).rejects.toThrow(/append-only/);
    const [row] = await sql<
      { actor: string; n: number }[]
    >`select min(actor) as actor, count(*)::int as n from access_audit`;
    expect(row).toEqual({ actor: "dir", n: 1 });
  });

  it("purges only rows older than the retention, and never with a retention under 30 days", async () => {
    const { sql } = database;
    await sql`
      insert into access_audit (at, actor, actor_kind, action, method, path, outcome, status)
      values (now() - interval '2200 days', 'old', 'token', 'sign-in', 'POST', '/sign-in', 'allowed', 303),
             (now() - interval '2180 days', 'recent', 'token', 'sign-in', 'POST', '/sign-in', 'allowed', 303)`;
    expect(await purgeAccessAudit(database.db, 2192)).toBe(1);
    const { rows, total } = await listAccessAudit(database.db, { limit: 10, offset: 0 });
    expect(rows.map((row) => row.actor).sort()).toEqual(["dir", "recent"]);
    expect(total).toBe(2);
    // drizzle wraps the database's error; its cause carries PostgreSQL's message.
    await expect(purgeAccessAudit(database.db, 1)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/30 or more/) },
    });
    expect((await listAccessAudit(database.db, { limit: 10, offset: 0 })).total).toBe(2);
  });
});
