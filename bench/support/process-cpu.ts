import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/*
 * CPU time of the live pipeline's processes, read from /proc (Linux only), so the pipeline
 * benchmark can say which process saturates. Every process this benchmark started descends from
 * it: the services (`node --import tsx <entry>`), the Kafka broker (java) and the embedded
 * PostgreSQL (its postmaster and one process per connection). Each is named by its role, a
 * consumer replica by its CODING_INSTANCE (1-based, set for every service), and a process's
 * descendants take its name.
 */

/** Clock ticks per second of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

const ENTRIES: readonly (readonly [string, string])[] = [
  ["services/ingest/src/main.ts", "ingest"],
  ["services/coding/src/main.ts", "coding"],
  ["services/aggregation/src/main.ts", "aggregation"],
  ["dashboard/src/main.ts", "dashboard"],
];

interface ProcessTimes {
  readonly parent: number;
  /** User plus system time, in ticks. */
  readonly ticks: number;
}

function readStat(pid: number): ProcessTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name, in parentheses, may hold spaces: the fields start after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone meanwhile
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function roleOf(pid: number): string | undefined {
  const command = read(`/proc/${pid}/cmdline`).split("\0").join(" ");
  for (const [entry, role] of ENTRIES) {
    if (!command.includes(entry)) continue;
    if (role !== "coding" && role !== "aggregation") return role;
    const instance = /(?:^|\0)CODING_INSTANCE=(\d+)/.exec(read(`/proc/${pid}/environ`))?.[1] ?? "?";
    return `${role}-${instance}`;
  }
  if (/(^|\/)java /.test(command)) return "kafka";
  if (/(^|\/)postgres /.test(command)) return "postgres";
  return undefined;
}

export interface CpuSnapshot {
  readonly at: number;
  /** Ticks per process id, with the role it counts for. */
  readonly processes: ReadonlyMap<number, { readonly role: string; readonly ticks: number }>;
  /** The whole machine (every process, ours or not): busy and total ticks over all cores. */
  readonly machine: { readonly busy: number; readonly total: number };
}

/** Names (once) and times every process descending from this one. */
export function cpuSnapshot(): CpuSnapshot {
  const all = new Map<number, ProcessTimes>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const times = readStat(pid);
    if (times !== undefined) all.set(pid, times);
  }
  const roles = new Map<number, string>([[process.pid, "bench"]]);
  const role = (pid: number): string | undefined => {
    const known = roles.get(pid);
    if (known !== undefined) return known;
    const parent = all.get(pid)?.parent;
    if (parent === undefined || parent <= 1) return undefined;
    const inherited = role(parent);
    if (inherited === undefined) return undefined;
    // A direct child of the bench is one of the started processes; below that, its helpers.
    const found = inherited === "bench" ? (roleOf(pid) ?? "bench") : inherited;
    roles.set(pid, found);
    return found;
  };
  const processes = new Map<number, { role: string; ticks: number }>();
  for (const [pid, times] of all) {
    const found = role(pid);
    if (found !== undefined) processes.set(pid, { role: found, ticks: times.ticks });
  }
  const [, ...values] = read("/proc/stat").split("\n")[0]?.trim().split(/\s+/) ?? [];
  const ticks = values.map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { at: performance.now(), processes, machine: { busy: total - idle, total } };
}

export interface CpuUse {
  /** Per role, percent of one core over the interval, largest first. */
  readonly roles: readonly { readonly role: string; readonly percent: number }[];
  /** Everything this benchmark started, percent of one core. */
  readonly pipeline: number;
  /** The whole machine, percent of one core (the machine has `cores` × 100). */
  readonly machine: number;
  readonly cores: number;
  /** Length of the interval. */
  readonly seconds: number;
}

/** CPU used between two snapshots. A process that started meanwhile counts from zero. */
export function cpuBetween(start: CpuSnapshot, end: CpuSnapshot, cores: number): CpuUse {
  const seconds = (end.at - start.at) / 1000;
  const byRole = new Map<string, number>();
  for (const [pid, { role, ticks }] of end.processes) {
    const before = start.processes.get(pid)?.ticks ?? 0;
    byRole.set(role, (byRole.get(role) ?? 0) + Math.max(0, ticks - before));
  }
  const percent = (ticks: number) => (ticks / TICKS_PER_SECOND / seconds) * 100;
  const roles = [...byRole]
    .map(([role, ticks]) => ({ role, percent: percent(ticks) }))
    .sort((a, b) => b.percent - a.percent);
  const machineTicks = end.machine.total - start.machine.total;
  const machineBusy = end.machine.busy - start.machine.busy;
  return {
    roles,
    pipeline: roles.reduce((sum, row) => sum + row.percent, 0),
    machine: machineTicks > 0 ? (machineBusy / machineTicks) * cores * 100 : 0,
    cores,
    seconds,
  };
}

/** "postgres 83%, aggregation-1 61%, …" for the roles above `floor` percent. */
export function describeCpu(use: CpuUse, floor = 3): string {
  const listed = use.roles
    .filter((row) => row.percent >= floor)
    .map((row) => `${row.role} ${row.percent.toFixed(0)}%`)
    .join(", ");
  const others = Math.max(0, use.machine - use.pipeline);
  return (
    `${listed}; pipeline ${use.pipeline.toFixed(0)}% + other processes ${others.toFixed(0)}% ` +
    `of the machine's ${use.cores * 100}%`
  );
}

/**
 * CPU milliseconds each role spent per 1,000 events over the interval, and the rate the whole
 * machine could sustain if it did nothing else at that cost (cores × 1,000 ms per second over
 * the pipeline's total). The cost includes what the benchmark adds (its sender and the
 * dashboard's polled answers).
 */
export function costPerThousand(use: CpuUse, events: number): string {
  const perThousand = (percent: number) => ((percent / 100) * use.seconds * 1_000_000) / events;
  const total = perThousand(use.pipeline);
  const listed = use.roles
    .filter((row) => perThousand(row.percent) >= 1)
    .map((row) => `${row.role} ${perThousand(row.percent).toFixed(0)}`)
    .join(", ");
  const ceiling = (use.cores * 1_000 * 1_000) / total;
  return (
    `CPU ms per 1,000 events: ${listed}; all ${total.toFixed(0)} ms, so ${use.cores} cores doing nothing else ` +
    `could carry about ${Math.round(ceiling).toLocaleString("en")} events/s`
  );
}
