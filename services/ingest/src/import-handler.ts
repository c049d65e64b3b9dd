import { DEFAULT_IMPORT_SOURCE, IMPORT_KINDS, ImportFileError, isImportKind, validateImport } from "@evoke/import";
import type { Context } from "hono";
import { readBodyBytesLimited } from "./body.ts";
import type { IngestEnv } from "./env.ts";
import { type EventsDependencies, publishAcknowledged } from "./events-handler.ts";
import { MAX_BATCH_EVENTS, mediaType } from "./http-binding.ts";
import { ProblemError } from "./problems.ts";

/*
 * POST /v1/import?kind=<kind>: a CSV file (text/csv body, or a multipart/form-data upload's
 * `file` field) read by packages/import into CloudEvents, then sent through the same path as
 * POST /v1/events: each event validated by validateEvent, published by the Publisher, 202 only
 * once Kafka has acknowledged them. The answer is the row report: bad rows by line and column,
 * while the good rows go through (or, with allOrNothing=true, nothing unless every row is good).
 * The whole file is read before anything is published, so a file that cannot be read as a
 * whole publishes nothing; it is bounded by INGEST_MAX_BODY_BYTES (bigger files: pnpm mi import).
 */

export const CSV_MEDIA_TYPES = ["text/csv", "application/csv"] as const;

function flag(c: Context<IngestEnv>, name: string): boolean {
  const value = c.req.query(name);
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "" || value === "true" || value === "1") return true;
  throw new ProblemError("invalid-request", `The query parameter ${name} must be true or false.`);
}

/** The uploaded file's bytes, from a text/csv body or a multipart form's `file` field. */
async function uploadedFile(c: Context<IngestEnv>, maxBodyBytes: number): Promise<Uint8Array> {
  const type = mediaType(c.req.header("content-type"));
  const body = await readBodyBytesLimited(c.req.raw, maxBodyBytes);
  if (type !== undefined && (CSV_MEDIA_TYPES as readonly string[]).includes(type)) return body;
  if (type === "multipart/form-data") {
    // Re-read the (already size-checked) bytes as a form: the platform's own multipart parser.
    const form = await new Request("http://import.invalid/", {
      method: "POST",
      headers: { "content-type": c.req.header("content-type") ?? "" },
      body: new Uint8Array(body),
    })
      .formData()
      .catch(() => {
        throw new ProblemError("invalid-request", "The multipart/form-data body cannot be read.");
      });
    const file = form.get("file");
    if (file === null || typeof file === "string") {
      throw new ProblemError("invalid-request", "The form has no file: send the CSV file in a field named file.");
    }
    return new Uint8Array(await file.arrayBuffer());
  }
  throw new ProblemError(
    "unsupported-media-type",
    `Send the CSV file as Content-Type: text/csv, or as a multipart/form-data upload (field file), not ${type ?? "no content type"}.`,
  );
}

export async function importCsv(c: Context<IngestEnv>, dependencies: EventsDependencies): Promise<Response> {
  const kind = c.req.query("kind");
  if (kind === undefined || !isImportKind(kind)) {
    throw new ProblemError(
      "invalid-request",
      `The query parameter kind is ${kind === undefined ? "required" : "not a kind of file"}: one of ${IMPORT_KINDS.join(", ")}.`,
    );
  }
  const dryRun = flag(c, "dryRun");
  const allOrNothing = flag(c, "allOrNothing");
  const source = c.req.query("source") ?? DEFAULT_IMPORT_SOURCE;
  const file = await uploadedFile(c, dependencies.maxBodyBytes);

  let validated: Awaited<ReturnType<typeof validateImport>>;
  try {
    validated = await validateImport(file, kind, {
      source,
      validation: { receivedAt: dependencies.now(), timeLimits: dependencies.timeLimits },
    });
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    throw new ProblemError("invalid-csv", error.message, {
      extensions: { problem: error.problem, ...error.details },
    });
  }
  const { report, events } = validated;
  if (report.rejectedRows > 0) dependencies.metrics.rejected(undefined, "invalid", report.rejectedRows);
  if (allOrNothing && report.rejectedRows > 0) {
    throw new ProblemError(
      "invalid-rows",
      `${report.rejectedRows} of ${report.rows} rows are not valid; with allOrNothing, nothing was published.`,
      { extensions: { report: { ...report, published: 0, dryRun } } },
    );
  }
  if (dryRun) return c.json({ ...report, published: 0, dryRun }, 200);

  const apiKeyName = c.get("apiKeyName");
  for (let start = 0; start < events.length; start += MAX_BATCH_EVENTS) {
    const chunk = events.slice(start, start + MAX_BATCH_EVENTS);
    // An import is a backfill: it slows down to the key's rate rather than being refused.
    await dependencies.rateLimiter.takeWhenAvailable(apiKeyName, chunk.length);
    // A broker outage part-way throws broker-unavailable: uploading the file again is safe,
    // the events already acknowledged keep their ids and count once.
    await publishAcknowledged(dependencies, chunk, apiKeyName);
  }
  return c.json({ ...report, published: events.length, dryRun }, 202);
}
