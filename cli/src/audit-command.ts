import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { localDirectories } from "@evoke/infra";

/*
 * `pnpm mi audit`: the dashboard's access audit trail, read through its API (GET /api/v1/audit)
 * with a director's token, so the CLI sees exactly what the page shows and each read is audited
 * like any other. Pages by audit id, so rows written meanwhile (this command's own reads among
 * them) neither repeat nor skip a row.
 */

export const AUDIT_USAGE =
  "usage: pnpm mi audit [--since <YYYY-MM-DD>] [--actor <name>] [--action <action>] [--csv] [--dashboard <url>] [--token <secret>]";

const PAGE = 1000;

export class AuditUsageError extends Error {}

interface AuditRow {
  readonly auditId: number;
  readonly at: string;
  readonly actor: string | null;
  readonly role: string | null;
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly programmeId: string | null;
  readonly sessionId: string | null;
  readonly clientId: string | null;
  readonly outcome: string;
  readonly status: number;
}

/** The token: --token, EVOKE_DASHBOARD_TOKEN, or the demo director's that npm start keeps. */
export async function directorToken(option: string | undefined, dataDir: string): Promise<string> {
  const given = option ?? process.env.EVOKE_DASHBOARD_TOKEN;
  if (given !== undefined && given !== "") return given;
  const file = join(dataDir, "demo-dashboard-tokens");
  const entries = (await readFile(file, "utf8").catch(() => "")).split(/[\n,]/);
  const secret = entries
    .find((entry) => entry.trim().startsWith("demo-director:"))
    ?.trim()
    .split(":")[1];
  if (secret === undefined)
    throw new AuditUsageError(
      `No dashboard token: pass --token <a director's secret> or set EVOKE_DASHBOARD_TOKEN (npm start keeps its demo tokens in ${file}).`,
    );
  return secret;
}

async function fetchPage(url: URL, token: string): Promise<Response> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } }).catch(() => {
    throw new AuditUsageError(`No dashboard answers at ${url.origin}: start it (npm start) or pass --dashboard <url>.`);
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new AuditUsageError(`${url.origin}${url.pathname} answered ${response.status}: ${problem.detail ?? ""}`);
  }
  return response;
}

function line(row: AuditRow): string {
  return [
    row.at,
    row.actor ?? "(unidentified)",
    row.role ?? "-",
    row.action,
    `${row.outcome} ${row.status}`,
    `${row.method} ${row.path}`,
    row.programmeId ?? "-",
    row.sessionId ?? "-",
    row.clientId ?? "-",
  ].join("\t");
}

export async function auditCommand(
  args: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
) {
  const { values } = parseArgs({
    args,
    options: {
      since: { type: "string" },
      actor: { type: "string" },
      action: { type: "string" },
      csv: { type: "boolean" },
      dashboard: { type: "string" },
      token: { type: "string" },
    },
  });
  if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.since))
    throw new AuditUsageError(`--since ${values.since} is not a day (e.g. 2026-03-01)\n${AUDIT_USAGE}`);
  const base =
    values.dashboard ?? process.env.DASHBOARD_URL ?? `http://127.0.0.1:${process.env.DASHBOARD_PORT ?? "3000"}`;
  const dataDir = values.token === undefined ? localDirectories(loadConfig(infrastructureConfig)).root : "";
  const token = await directorToken(values.token, dataDir);

  let before: number | undefined;
  for (let first = true; ; first = false) {
    const url = new URL("/api/v1/audit", base);
    const query = { from: values.since, actor: values.actor, action: values.action, before: before?.toString() };
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    url.searchParams.set("limit", String(PAGE));
    if (values.csv === true) {
      url.searchParams.set("format", "csv");
      const lines = (await (await fetchPage(url, token)).text()).split("\r\n").filter((text) => text !== "");
      // The header once; each page's rows; the last row's audit_id (its first cell) pages on.
      const rows = lines.slice(1);
      write(`${[...(first ? lines.slice(0, 1) : []), ...rows].join("\r\n")}\r\n`);
      if (rows.length < PAGE) return;
      before = Number((rows.at(-1) ?? "").split(",")[0]);
    } else {
      const page = (await (await fetchPage(url, token)).json()) as { rows: AuditRow[] };
      if (page.rows.length > 0) write(`${page.rows.map(line).join("\n")}\n`);
      if (page.rows.length < PAGE) return;
      before = page.rows.at(-1)?.auditId;
    }
  }
}
