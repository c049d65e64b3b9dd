import type { Database } from "@evoke/db";
import type { ModelDescription } from "@evoke/mi-coding";
import type { z } from "zod";
import type { Capability, Principal } from "../access/principal.ts";
import type { AuditAction, AuditNote } from "../audit/trail.ts";
import type { Table } from "../http/csv.ts";
import type { PipelineSources } from "../pipeline/sources.ts";
import type { AnswerCache } from "./answer-cache.ts";

/*
 * An API endpoint, defined once: its path, who may call it, its query schema, how it loads its
 * answer and (for tabular answers) the table its CSV form holds. The router, the OpenAPI
 * document and the pages all read these definitions, so a page's chart and its CSV download
 * can never disagree.
 */

export interface DashboardDeps {
  readonly db: Database;
  /** Recent answers (see answer-cache.ts). */
  readonly cache: AnswerCache;
  readonly pipeline: PipelineSources;
  /** The date analyses look from (retention is censored here). */
  readonly now: () => Date;
  /** The coder models this installation has (describeModels(), read once at start-up): what each was trained on. */
  readonly knownModels: readonly ModelDescription[];
}

export interface RequestContext extends DashboardDeps {
  readonly principal: Principal;
}

export interface Endpoint<Schema extends z.ZodType = z.ZodType, Data = unknown> {
  /** Under /api/v1, Hono style (`/sessions/:sessionId`). */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly capability: Capability;
  readonly query: Schema;
  /** Path parameters with their descriptions. */
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly load: (
    context: RequestContext,
    query: z.infer<Schema>,
    params: Readonly<Record<string, string>>,
  ) => Promise<Data>;
  /** False for answers that must be live (pipeline health) or are cheap and per-reader. Default true. */
  readonly cacheable?: boolean;
  /**
   * Audited endpoints (per-client or per-session rows, transcripts, the audit trail): each call
   * leaves an access_audit row, refusals included; `subject` says whose data an answer held.
   */
  readonly audit?: {
    readonly action: AuditAction;
    readonly subject?: (data: Data) => Partial<AuditNote>;
  };
  /** The answer as one table, for `?format=csv`; absent: JSON only. */
  readonly table?: (data: Data) => Table;
}

export function endpoint<Schema extends z.ZodType, Data>(definition: Endpoint<Schema, Data>): Endpoint<Schema, Data> {
  return definition;
}

/** An endpoint's answer as its table (for pages showing the table view of what they plot). */
export function tableOf<Data>(definition: Endpoint<z.ZodType, Data>, data: Data): Table {
  if (definition.table === undefined) throw new Error(`${definition.path} has no table form`);
  return definition.table(data);
}
