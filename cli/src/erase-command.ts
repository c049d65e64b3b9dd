import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { infrastructureConfig, loadConfig } from "@evoke/config";
import { localDirectories } from "@evoke/infra";
import { directorToken } from "./audit-command.ts";

/*
 * `pnpm mi erase --client <id> [--yes]`: erasure on request, through the dashboard's API
 * (POST /api/v1/erasures) with a director's token, so the CLI is held to the same rule (directors
 * who see every programme) and leaves the same client.erase row in the access audit trail.
 * Without --yes it asks for the client id again on a terminal, and refuses elsewhere.
 */

export const ERASE_USAGE =
  "usage: pnpm mi erase --client <id> [--yes] [--reason <text>] [--dashboard <url>] [--token <secret>]";

export class EraseUsageError extends Error {}

async function confirmed(clientId: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `This removes every fact and figure of client ${clientId}, for good. Type the client id to confirm: `,
    );
    return answer.trim() === clientId;
  } finally {
    prompt.close();
  }
}

export async function eraseCommand(
  args: string[],
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      client: { type: "string" },
      yes: { type: "boolean" },
      reason: { type: "string" },
      dashboard: { type: "string" },
      token: { type: "string" },
    },
  });
  const clientId = values.client;
  if (clientId === undefined || clientId === "") throw new EraseUsageError(ERASE_USAGE);
  if (values.yes !== true && !(await confirmed(clientId)))
    throw new EraseUsageError(`Not erased: confirm with --yes (or type the client id on a terminal).\n${ERASE_USAGE}`);
  const base =
    values.dashboard ?? process.env.DASHBOARD_URL ?? `http://127.0.0.1:${process.env.DASHBOARD_PORT ?? "3000"}`;
  const dataDir = values.token === undefined ? localDirectories(loadConfig(infrastructureConfig)).root : "";
  const token = await directorToken(values.token, dataDir);
  const url = new URL("/api/v1/erasures", base);
  const response = await fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ clientId, ...(values.reason === undefined ? {} : { reason: values.reason }) }),
  }).catch(() => {
    throw new EraseUsageError(`No dashboard answers at ${url.origin}: start it (npm start) or pass --dashboard <url>.`);
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string };
    throw new EraseUsageError(`${url.origin}${url.pathname} answered ${response.status}: ${problem.detail ?? ""}`);
  }
  write(`${JSON.stringify(await response.json(), null, 2)}\n`);
}
