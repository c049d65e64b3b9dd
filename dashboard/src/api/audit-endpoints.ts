import { listAccessAudit } from "@evoke/db";
import { z } from "zod";
import { AUDIT_ACTIONS } from "../audit/trail.ts";
import { ProblemError } from "../http/problems.ts";
import { endpoint } from "./endpoint.ts";
import { day, id } from "./params.ts";

/*
 * Reading the access audit trail (directors who see every programme: the trail names readers and
 * sessions of all of them). Reading it is audited too.
 */

const DAY_MS = 86_400_000;

export const auditEndpoint = endpoint({
  path: "/audit",
  summary: "The access audit trail",
  description:
    "Who read transcripts, drilled into sessions, exported client-level rows, signed in or failed to, changed annotations or read this trail: newest first, with the outcome (allowed, denied, failed) and HTTP status. Ids only, never text. Needs a director token that sees every programme; each read is itself recorded.",
  capability: "audit",
  cacheable: false,
  audit: { action: "audit.read" },
  query: z.object({
    actor: z.string().min(1).max(200).optional().describe("Only this actor (a token's name)."),
    action: z.enum(AUDIT_ACTIONS).optional().describe("Only this action."),
    programme: id("a programme").optional().describe("Only rows about this programme."),
    from: day.optional().describe("From this day, YYYY-MM-DD (inclusive, UTC)."),
    to: day.optional().describe("To this day, YYYY-MM-DD (inclusive, UTC)."),
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe("Rows per page (1-1000)."),
    offset: z.coerce.number().int().min(0).default(0),
    before: z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "Only rows with an audit_id below this one: page by the last row's id, unaffected by rows written meanwhile.",
      ),
  }),
  load: (context, query) => {
    if (context.principal.programmeIds !== null) {
      throw new ProblemError("forbidden", "The audit trail needs a director token that sees every programme.");
    }
    return listAccessAudit(context.db, {
      ...(query.actor === undefined ? {} : { actor: query.actor }),
      ...(query.action === undefined ? {} : { action: query.action }),
      ...(query.programme === undefined ? {} : { programmeId: query.programme }),
      ...(query.from === undefined ? {} : { from: new Date(`${query.from}T00:00:00Z`) }),
      ...(query.to === undefined ? {} : { before: new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS) }),
      ...(query.before === undefined ? {} : { beforeId: query.before }),
      limit: query.limit,
      offset: query.offset,
    });
  },
  table: (page) => ({
    columns: [
      "audit_id",
      "at",
      "actor",
      "actor_kind",
      "role",
      "action",
      "method",
      "path",
      "programme_id",
      "session_id",
      "client_id",
      "outcome",
      "status",
      "request_id",
    ],
    rows: page.rows.map((row) => [
      row.auditId,
      row.at,
      row.actor,
      row.actorKind,
      row.role,
      row.action,
      row.method,
      row.path,
      row.programmeId,
      row.sessionId,
      row.clientId,
      row.outcome,
      row.status,
      row.requestId,
    ]),
  }),
});
