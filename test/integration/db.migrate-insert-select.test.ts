import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MIGRATIONS_FOLDER, migrateDatabase, recordProcessedEvent, schema } from "@evoke/db";
import { eq, is } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

describe("drizzle migrations and queries against the real PostgreSQL", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("migrate");
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("applies every committed migration, once, however often migrate runs", async () => {
    await migrateDatabase(database.url);
    const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    };
    const applied = await database.sql`select hash from drizzle.__drizzle_migrations`;
    expect(applied).toHaveLength(journal.entries.length);
    const [table] = await database.sql`select to_regclass('public.processed_events') as name`;
    expect(table?.name).toBe("processed_events");
  });

  it("gives every column the type and nullability the drizzle schema declares", async () => {
    // The snapshot test (packages/db) compares the schema with drizzle-kit's snapshots, not with
    // what the SQL did: 0002 renamed a jsonb column and declared it json, drizzle-kit emitted only
    // the rename, and every database held jsonb until 0012.
    const spelling = (type: string) => type.replace(/^timestamp$/, "timestamp without time zone");
    const declared = (Object.values(schema) as unknown[])
      .filter((value): value is PgTable => is(value, PgTable))
      .flatMap((table) => {
        const { name, columns } = getTableConfig(table);
        return columns.map(
          (column) =>
            `${name}.${toSnakeCase(column.name)}: ${spelling(column.getSQLType())}${column.notNull ? " not null" : ""}`,
        );
      });
    const columns = await database.sql<{ described: string }[]>`
      select c.relname || '.' || a.attname || ': ' || format_type(a.atttypid, a.atttypmod)
        || case when a.attnotnull then ' not null' else '' end as described
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped`;
    expect(declared.length).toBeGreaterThan(200);
    expect(columns.map((column) => column.described).sort()).toEqual(declared.sort());
  });

  it("inserts and selects through drizzle", async () => {
    await database.db
      .insert(schema.processedEvents)
      .values({ source: "urn:evoke:test", eventId: "evt_1", eventType: "evoke.test" });
    const rows = await database.db
      .select()
      .from(schema.processedEvents)
      .where(eq(schema.processedEvents.eventId, "evt_1"));
    expect(rows).toEqual([
      { source: "urn:evoke:test", eventId: "evt_1", eventType: "evoke.test", processedAt: expect.any(Date) },
    ]);
  });

  it("records an event once: the second delivery of the same source and id is recognised", async () => {
    const event = { source: "urn:evoke:intake", id: "evt_2", type: "evoke.client.enrolled" };
    const first = await database.db.transaction((tx) => recordProcessedEvent(tx, event));
    const again = await database.db.transaction((tx) => recordProcessedEvent(tx, event));
    const otherSource = await database.db.transaction((tx) =>
      recordProcessedEvent(tx, { ...event, source: "urn:evoke:ehr" }),
    );
    expect([first, again, otherSource]).toEqual([true, false, true]);
    const [count] = await database.sql`select count(*)::int as n from processed_events where event_id = 'evt_2'`;
    expect(count?.n).toBe(2);
  });

  it("rolls the record back with the transaction that failed", async () => {
    const event = { source: "urn:evoke:intake", id: "evt_3", type: "evoke.client.enrolled" };
    await expect(
      database.db.transaction(async (tx) => {
        await recordProcessedEvent(tx, event);
        throw new Error("projection failed");
      }),
    ).rejects.toThrow("projection failed");
    expect(await database.db.transaction((tx) => recordProcessedEvent(tx, event))).toBe(true);
  });
});
