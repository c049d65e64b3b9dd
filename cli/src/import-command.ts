import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { eventTimeLimitsConfig, infrastructureConfig, loadConfig } from "@evoke/config";
import {
  DEFAULT_IMPORT_SOURCE,
  describeRowError,
  IMPORT_KINDS,
  ImportFileError,
  isImportKind,
  validateImport,
} from "@evoke/import";
import { localDirectories } from "@evoke/infra";
import { structuredJson } from "@evoke/synth/send";
import { demoKeyFile, ingestKey, ingestUrl, progressBar } from "./ingest-target.ts";
import { sendWindowed } from "./send-window.ts";

/*
 * `pnpm mi import <file.csv> --kind <kind>`: a clinic's spreadsheet export sent through the
 * ingest API. The file is read and every row checked first (packages/import, the same code as
 * POST /v1/import), so the row errors are known before anything is sent; then the valid rows'
 * events go to POST /v1/events in CloudEvents batches, exactly as an EHR integration sends them.
 *
 * Why /v1/events and not /v1/import: a batch of at most 1,000 events is acknowledged at a time,
 * which gives the progress bar and a checkpoint after each acknowledgement, and a file of any
 * size (an upload to /v1/import is bounded by INGEST_MAX_BODY_BYTES). Ingest validates every
 * event again, so nothing bypasses its checks, and the CLI never talks to Kafka itself.
 *
 * Resuming: the checkpoint file (by the file's SHA-256, kind and source) counts the events
 * ingest acknowledged (the unbroken run from the start); running the same command again
 * carries on after them. Even without it,
 * a row sent twice has the same event id (derived from the row), which the pipeline records
 * once.
 */

export const IMPORT_USAGE = `usage: pnpm mi import <file.csv> --kind ${IMPORT_KINDS.join("|")}
                     [--dry-run] [--all-or-nothing] [--source <uri>]
                     [--ingest <url>] [--key <secret>] [--state <file>] [--restart]`;

export class ImportUsageError extends Error {}

/** Batches of events in flight at once (see send-window.ts). */
const SEND_WINDOW = 4;

/** Rejected rows printed on stderr; the JSON report on stdout lists up to 1,000. */
const PRINTED_ERRORS = 50;

interface Checkpoint {
  readonly file: string;
  readonly kind: string;
  readonly source: string;
  readonly events: number;
  readonly acknowledged: number;
}

async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as Checkpoint);
}

async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Write then rename: an interrupted write never leaves half a checkpoint.
  await writeFile(`${path}.tmp`, JSON.stringify(checkpoint));
  await rename(`${path}.tmp`, path);
}

/** The file's chunks, hashing them on the way (the checkpoint is keyed by the content). */
async function* hashing(path: string, hash: ReturnType<typeof createHash>): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      kind: { type: "string" },
      "dry-run": { type: "boolean" },
      "all-or-nothing": { type: "boolean" },
      source: { type: "string" },
      ingest: { type: "string" },
      key: { type: "string" },
      state: { type: "string" },
      restart: { type: "boolean" },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new ImportUsageError(IMPORT_USAGE);
  const kind = values.kind;
  if (kind === undefined || !isImportKind(kind))
    throw new ImportUsageError(
      `--kind ${kind === undefined ? "is required" : `${kind} is not a kind of file`}: one of ${IMPORT_KINDS.join(", ")}\n${IMPORT_USAGE}`,
    );
  const source = values.source ?? DEFAULT_IMPORT_SOURCE;

  const hash = createHash("sha256");
  let checked = 0;
  let validated: Awaited<ReturnType<typeof validateImport>>;
  try {
    validated = await validateImport(hashing(file, hash), kind, {
      source,
      // Ingest's limits (INGEST_EARLIEST_DATE...) from the same variables, so a backfill of
      // older history checks here as ingest will judge it.
      validation: { timeLimits: loadConfig(eventTimeLimitsConfig) },
      onRow: (row) => {
        checked += row.rows;
        // The number of rows is not known while streaming: on a terminal, count them up.
        if (process.stderr.isTTY && checked % 10_000 < row.rows)
          process.stderr.write(`\rchecked ${checked.toLocaleString("en")} rows`);
      },
    });
  } catch (error) {
    if (error instanceof ImportFileError) throw new ImportUsageError(`${file}: ${error.message}`);
    throw error;
  }
  if (process.stderr.isTTY && checked >= 10_000) process.stderr.write("\n");
  const { report, events } = validated;
  process.stdout.write(`${JSON.stringify(report)}\n`);
  for (const error of report.errors.slice(0, PRINTED_ERRORS)) console.error(describeRowError(error));
  const unprinted = (report.errorsTotal ?? report.errors.length) - Math.min(PRINTED_ERRORS, report.errors.length);
  if (unprinted > 0) console.error(`… and ${unprinted.toLocaleString("en")} more errors (all in the JSON report)`);
  const summary = `${report.rows.toLocaleString("en")} rows: ${report.validRows.toLocaleString("en")} valid (${report.events.toLocaleString("en")} events), ${report.rejectedRows.toLocaleString("en")} rejected`;
  if (report.rejectedRows > 0) process.exitCode = 1;

  if (values["dry-run"] === true) {
    console.error(`${summary}. Dry run: nothing was sent.`);
    return;
  }
  if (values["all-or-nothing"] === true && report.rejectedRows > 0) {
    console.error(`${summary}. --all-or-nothing: nothing was sent.`);
    return;
  }

  const config = loadConfig(infrastructureConfig);
  const { root } = localDirectories(config);
  const digest = hash.digest("hex");
  const statePath = values.state ?? join(root, "imports", `${kind}-${digest.slice(0, 16)}.json`);
  const saved = values.restart === true ? undefined : await readCheckpoint(statePath);
  const resumable =
    saved !== undefined &&
    saved.file === digest &&
    saved.kind === kind &&
    saved.source === source &&
    saved.events === events.length;
  const from = resumable ? saved.acknowledged : 0;
  if (from === events.length && events.length > 0) {
    console.error(`${summary}. This file was imported already (${statePath}); --restart sends it again.`);
    return;
  }

  const url = ingestUrl(values.ingest);
  const apiKey = await ingestKey(values.key, root);
  if (apiKey === undefined)
    throw new ImportUsageError(
      `No ingest key: pass --key <secret> or set EVOKE_INGEST_KEY (npm start keeps its demo key in ${demoKeyFile(root)}).`,
    );
  const sending = progressBar("events");
  const checkpoint = (acknowledged: number) =>
    writeCheckpoint(statePath, { file: digest, kind, source, events: events.length, acknowledged });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await sendWindowed(
      events.map((event) => structuredJson(event)),
      { url, apiKey },
      {
        from,
        window: SEND_WINDOW,
        signal: controller.signal,
        onAcknowledged: async (acknowledged) => {
          await checkpoint(acknowledged);
          sending(acknowledged, events.length);
        },
      },
    );
    if (events.length === 0) await checkpoint(0);
    const resumed = from > 0 ? ` (resumed after ${from.toLocaleString("en")})` : "";
    console.error(`${summary}. Sent ${events.length.toLocaleString("en")} events to ${url}${resumed}.`);
  } catch (error) {
    if (controller.signal.aborted) {
      console.error("\nInterrupted: run the same command again to carry on where it stopped.");
      process.exitCode = 130;
      return;
    }
    throw new ImportUsageError(
      `\n${(error as Error).message}\nRun the same command again to carry on where it stopped.`,
    );
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
