import { setTimeout as sleep } from "node:timers/promises";
import { pipelined, recordEvents } from "@evoke/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsClinic } from "../support/analytics-clinic.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * The sink sends a transaction's independent statements without waiting for each other's
 * answers (projections/pipelined.ts). A failure among them must roll back all of them, be
 * reported as itself (not as the "transaction is aborted" of the statements behind it), and
 * leave no statement to run after the rollback, outside the transaction.
 */

const FACT_TABLES = [
  "processed_events",
  "enrolment_events",
  "session_events",
  "readiness_measurements",
  "session_codings",
  "clients",
  "episodes",
  "sessions",
  "session_fidelity",
  "client_outcomes",
] as const;

describe("statements pipelined in one transaction", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("pipelined");
  });

  afterAll(async () => {
    await database?.drop();
  });

  const rows = async (table: string) =>
    Number((await database.sql.unsafe(`select count(*)::int as n from ${table}`))[0]?.n);

  it("waits for a statement sent after another failed, so that it is rolled back too", async () => {
    const late = database.db.transaction((tx) =>
      pipelined([
        (async () => {
          await tx.execute(sql`select 1 / 0`);
        })(),
        (async () => {
          // Sent once the division has failed and the caller could already have rolled back.
          await sleep(300);
          await tx.execute(sql`insert into programmes (programme_id) values ('late')`);
        })(),
      ] as const),
    );
    await expect(late).rejects.toMatchObject({ cause: { code: "22012" } });
    // Had the transaction ended at the failure, the insert would now have run on its own.
    await sleep(600);
    expect(await database.sql`select programme_id from programmes where programme_id = 'late'`).toEqual([]);
  });

  it("reports the refused fact's own error and stores nothing of its batch", async () => {
    // Stands for any cause outside the events: readiness is the third of five fact statements.
    await database.sql`alter table readiness_measurements add constraint test_no_rulers check (instrument <> 'readiness-ruler')`;
    const events = analyticsClinic();
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        "evoke.client.enrolled",
        "evoke.session.attended",
        "evoke.readiness.measured",
        "evoke.session.coded",
      ]),
    );
    const recording = database.db.transaction((tx) => recordEvents(tx, events));
    await expect(recording).rejects.toMatchObject({ cause: { code: "23514", constraint_name: "test_no_rulers" } });
    for (const table of FACT_TABLES) expect({ table, rows: await rows(table) }).toEqual({ table, rows: 0 });

    await database.sql`alter table readiness_measurements drop constraint test_no_rulers`;
    await database.db.transaction((tx) => recordEvents(tx, events));
    for (const table of FACT_TABLES) expect(await rows(table)).toBeGreaterThan(0);
  });
});
