import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { dirname, join } from "node:path";

/*
 * CPU time of one process's threads, read from /proc/<pid>/task/<tid>/stat (Linux only), so the
 * pipeline benchmark can say where the Kafka broker's time goes: request handling, the network
 * threads, the log, the group and transaction coordinators, or the JVM's own garbage collector
 * and JIT compilers. /proc names a thread by its first 15 characters only (the broker's request
 * handlers and network threads are both "data-plane-kafk"), so a Java process's full thread
 * names are read once from `jcmd <pid> Thread.print`, whose `nid` is the Linux thread id.
 */

/** Clock ticks per second of /proc's CPU times. */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

export interface ThreadSnapshot {
  /** User plus system ticks per thread id, with the thread's /proc name. */
  readonly threads: ReadonlyMap<number, { readonly comm: string; readonly ticks: number }>;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // the thread (or process) ended meanwhile
  }
}

export function threadSnapshot(pid: number): ThreadSnapshot {
  const threads = new Map<number, { comm: string; ticks: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { threads };
  }
  for (const tid of tids) {
    const stat = read(`/proc/${pid}/task/${tid}/stat`);
    if (stat === undefined) continue;
    // The name, in parentheses, may hold spaces: the fields start after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    threads.set(Number(tid), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return { threads };
}

/**
 * A Java process's thread names by Linux thread id, from the jcmd beside its java binary; empty
 * when that fails (no jcmd, another user's JVM), and the /proc names serve instead.
 */
export function javaThreadNames(pid: number): ReadonlyMap<number, string> {
  const names = new Map<number, string>();
  try {
    const jcmd = join(dirname(readlinkSync(`/proc/${pid}/exe`)), "jcmd");
    const dump = execFileSync(jcmd, [String(pid), "Thread.print"], { encoding: "utf8", timeout: 20_000 });
    for (const match of dump.matchAll(/^"(.+?)" .*\bnid=(0x[0-9a-f]+|\d+)/gm)) {
      names.set(Number(match[2]), match[1] as string);
    }
  } catch {
    // Names stay /proc's.
  }
  return names;
}

/**
 * A thread's group: its name without the numbers that tell threads of one pool apart (the
 * request handlers, the GC workers, each listener's network threads count together), and
 * without Kafka's "data-plane-kafka-" prefix. Numbers that name a kind stay: "C1 CompilerThread0"
 * and "C2 CompilerThread0" are different compilers, "G1 Conc#0" is G1's.
 */
export function threadGroup(name: string): string {
  return name
    .replace(/^data-plane-kafka-/, "")
    .replace(/#?\d+$/, "#")
    .replace(/-\d+(?=-)/g, "-#");
}

/** Per thread group: CPU milliseconds over the interval and how many threads used any. */
export function threadCpuBetween(
  start: ThreadSnapshot,
  end: ThreadSnapshot,
  names: ReadonlyMap<number, string> = new Map(),
): { readonly group: string; readonly ms: number; readonly threads: number }[] {
  const groups = new Map<string, { ms: number; threads: number }>();
  for (const [tid, { comm, ticks }] of end.threads) {
    const used = ticks - (start.threads.get(tid)?.ticks ?? 0);
    if (used <= 0) continue;
    const group = threadGroup(names.get(tid) ?? comm);
    const entry = groups.get(group) ?? { ms: 0, threads: 0 };
    entry.ms += (used / TICKS_PER_SECOND) * 1000;
    entry.threads += 1;
    groups.set(group, entry);
  }
  return [...groups].map(([group, { ms, threads }]) => ({ group, ms, threads })).sort((a, b) => b.ms - a.ms);
}

/** "request-handler-# (2 threads) 12, network-thread-#-… 8, …": ms per 1,000 events, above 1. */
export function describeThreadCost(rows: ReturnType<typeof threadCpuBetween>, events: number): string {
  const perThousand = (ms: number) => (ms * 1_000) / events;
  const listed = rows
    .filter((row) => perThousand(row.ms) >= 1)
    .map(
      (row) => `${row.group}${row.threads > 1 ? ` (${row.threads} threads)` : ""} ${perThousand(row.ms).toFixed(0)}`,
    );
  const rest = rows.filter((row) => perThousand(row.ms) < 1).reduce((sum, row) => sum + row.ms, 0);
  return [...listed, `the other ${rows.length - listed.length} groups ${perThousand(rest).toFixed(0)}`].join(", ");
}
