import type { Secret } from "@evoke/config";
import type { ImportOutcome } from "../pages/import.tsx";

/*
 * The Import page's upload, forwarded to ingest's POST /v1/import with the dashboard's own
 * ingest key (DASHBOARD_INGEST_URL, DASHBOARD_INGEST_KEY). Why forward rather than publish from
 * here: ingest is the one way into Kafka (its validation, rate limit, metrics and publisher);
 * the dashboard has no Kafka producer and should not grow one.
 */

export interface IngestTarget {
  readonly url: string;
  readonly apiKey: Secret;
}

export interface ImportUpload {
  readonly kind: string;
  readonly file: File;
  readonly dryRun: boolean;
  readonly allOrNothing: boolean;
}

export async function forwardImport(target: IngestTarget, upload: ImportUpload): Promise<ImportOutcome> {
  const query = new URLSearchParams({ kind: upload.kind });
  if (upload.dryRun) query.set("dryRun", "true");
  if (upload.allOrNothing) query.set("allOrNothing", "true");
  const form = new FormData();
  form.set("file", upload.file, "upload.csv");
  let response: Response;
  try {
    response = await fetch(`${target.url}/v1/import?${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${target.apiKey.reveal()}` },
      body: form,
    });
  } catch {
    return { kind: "problem", title: "Ingest cannot be reached", detail: "Nothing was imported. Try again later." };
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 200 || response.status === 202) {
    // Ingest's own answer (docs/openapi.json ImportReport), shown as it is.
    return { kind: "report", report: body as unknown as Extract<ImportOutcome, { kind: "report" }>["report"] };
  }
  return {
    kind: "problem",
    title: typeof body.title === "string" ? body.title : `Ingest answered ${response.status}`,
    detail: typeof body.detail === "string" ? body.detail : "Nothing was imported.",
    ...(typeof body.report === "object" && body.report !== null
      ? { report: body.report as Extract<ImportOutcome, { kind: "problem" }>["report"] & object }
      : {}),
  };
}
