/**
 * How the sink's bulk inserts carry a column of values (packages/db/src/projections/bulk.ts):
 * 15,000 rows shaped like session facts (11 text columns, one of them a third null, and a
 * timestamptz) inserted by `insert … select … from unnest(…)` into an unlogged table, the
 * columns sent either
 *   (a) as array parameters ($1::text[]: postgres.js escapes every element, PostgreSQL's
 *       array parser unescapes it), the route before issue 14's fourth pass, or
 *   (b) as one text each, the values joined by U+001E with U+001F for null, split by
 *       string_to_array (the route the sink takes).
 * Prints the medians of this process's CPU and of the statement's wall time per route, the runs
 * alternating. PostgreSQL's share is about the wall time less this process's CPU.
 *
 *   pnpm bench:bulk-transport [rows=15000] [runs=12]
 *
 * Uses DATABASE_URL if set, else the embedded PostgreSQL.
 */
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { connectDatabase } from "@evoke/db";
import { provisionInfrastructure, silentProgress } from "@evoke/infra";

const rowCount = Number(process.argv[2] ?? 15_000);
const runs = Number(process.argv[3] ?? 12);
const COLUMNS = 12;
const TIME_COLUMN = 4;
const SOMETIMES_NULL = 10;

const config = loadConfig(infrastructureConfig);
const infrastructure = await provisionInfrastructure(config, silentProgress);
const { sql, close } = connectDatabase(infrastructure.postgres.url, { max: 1, applicationName: "bench-bulk" });

const columns: (string | null)[][] = Array.from({ length: COLUMNS }, (_, column) =>
  Array.from({ length: rowCount }, (_, row) => {
    if (column === TIME_COLUMN) return new Date(Date.UTC(2026, 0, 1) + row * 60_000).toISOString();
    if (column === SOMETIMES_NULL && row % 3 === 0) return null;
    return `id_${column}_${row}_${(row * 7919) % 1000}`;
  }),
);
const names = columns.map((_, column) => `c${column}`);
const casts = names.map((name, column) => (column === TIME_COLUMN ? `${name}::timestamptz` : name));
const statement = (source: (position: number) => string) =>
  `insert into bench_bulk_transport (${names.join(", ")}) select ${casts.join(", ")} ` +
  `from unnest(${names.map((_, column) => source(column + 1)).join(", ")}) as rows(${names.join(", ")})`;
const routes = {
  "(a) array parameters": {
    text: statement((position) => `$${position}::text[]`),
    params: () => columns,
  },
  "(b) one joined text per column": {
    text: statement((position) => `string_to_array($${position}::text, chr(30), chr(31))`),
    params: () => columns.map((values) => values.map((value) => value ?? "\u001f").join("\u001e")),
  },
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

try {
  await sql.unsafe(
    `create unlogged table if not exists bench_bulk_transport (${names
      .map((name, column) => `${name} ${column === TIME_COLUMN ? "timestamptz" : "text"}`)
      .join(", ")})`,
  );
  const figures = new Map<string, { cpu: number[]; wall: number[] }>();
  // Two warm-up rounds (JIT, the plan cache), then `runs` measured, the routes alternating.
  for (let round = 0; round < runs + 2; round += 1) {
    for (const [label, route] of Object.entries(routes)) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      await sql.unsafe(route.text, route.params() as never[], { prepare: true });
      const used = process.cpuUsage(cpu);
      const wall = performance.now() - started;
      await sql`truncate bench_bulk_transport`;
      if (round < 2) continue;
      const entry = figures.get(label) ?? { cpu: [], wall: [] };
      entry.cpu.push((used.user + used.system) / 1000);
      entry.wall.push(wall);
      figures.set(label, entry);
    }
  }
  console.log(`${rowCount.toLocaleString("en")} rows of ${COLUMNS} columns, median of ${runs} runs each`);
  for (const [label, { cpu, wall }] of figures) {
    console.log(
      `${label.padEnd(34)} this process ${median(cpu).toFixed(1).padStart(6)} ms CPU, statement ${median(wall).toFixed(1).padStart(6)} ms wall`,
    );
  }
} finally {
  await sql`drop table if exists bench_bulk_transport`;
  await close();
}
