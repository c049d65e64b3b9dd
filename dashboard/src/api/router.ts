import { Hono } from "hono";
import type { z } from "zod";
import type { Principal } from "../access/principal.ts";
import { audited } from "../audit/trail.ts";
import type { DashboardEnv } from "../env.ts";
import { toCsv } from "../http/csv.ts";
import { ProblemError } from "../http/problems.ts";
import { addAnnotation, deleteAnnotation, NewAnnotationSchema } from "./annotations.ts";
import { requireCapability } from "./capability.ts";
import type { DashboardDeps, Endpoint } from "./endpoint.ts";
import { ENDPOINTS } from "./endpoints.ts";
import { ErasureRequestSchema, eraseClientFor } from "./erasures.ts";
import { openApiDocument } from "./openapi.ts";
import { parseQuery } from "./params.ts";

/*
 * /api/v1: each endpoint definition becomes a GET route answering JSON, or CSV with
 * ?format=csv. Authentication happened before (app.ts); here the role's capability is checked.
 */

/** Loads an endpoint's answer for a principal: what both the API and the pages call. */
export async function load<Data>(
  deps: DashboardDeps,
  principal: Principal,
  definition: Endpoint<z.ZodType, Data>,
  query: Record<string, string>,
  params: Record<string, string> = {},
): Promise<Data> {
  requireCapability(principal, definition.capability);
  const parsed = parseQuery(definition.query, query);
  const answer = () => definition.load({ ...deps, principal }, parsed, params);
  if (definition.cacheable === false) return answer();
  // The reader's role and programmes are part of the key: a scoped answer is never shared.
  const key = JSON.stringify([definition.path, params, parsed, principal.role, principal.programmeIds]);
  return deps.cache.get(key, answer);
}

const csvName = (path: string) =>
  `evoke${path.replaceAll(/\/:?/g, "-").replaceAll(/[^A-Za-z0-9-]/g, "")}.csv`.toLowerCase();

export function createApiRouter(deps: DashboardDeps): Hono<DashboardEnv> {
  const api = new Hono<DashboardEnv>();

  api.get("/openapi.json", (c) => c.json(openApiDocument()));

  for (const definition of ENDPOINTS) {
    const { audit } = definition;
    if (audit !== undefined) api.get(definition.path, audited(deps.db, audit.action));
    api.get(definition.path, async (c) => {
      const { format, ...query } = c.req.query();
      if (format !== undefined && format !== "csv" && format !== "json") {
        throw new ProblemError("invalid-query", 'format must be "json" or "csv".', {
          errors: [{ field: "format", reason: 'must be "json" or "csv"' }],
        });
      }
      if (format === "csv" && definition.table === undefined) {
        throw new ProblemError("not-acceptable", `${definition.path} answers JSON only.`);
      }
      const data = await load(deps, c.get("principal"), definition, query, c.req.param());
      if (audit?.subject !== undefined) Object.assign(c.get("audit"), audit.subject(data));
      c.header("Cache-Control", "no-store");
      if (format === "csv" && definition.table !== undefined) {
        c.header("Content-Disposition", `attachment; filename="${csvName(definition.path)}"`);
        return c.body(toCsv(definition.table(data)), 200, { "Content-Type": "text/csv; charset=utf-8" });
      }
      return c.json(data);
    });
  }

  api.post("/annotations", audited(deps.db, "annotation.add"), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ProblemError("invalid-form", "The body must be a JSON object: {programmeId, day, label}.", {
        errors: [{ field: "(body)", reason: "is not valid JSON" }],
      });
    }
    const input = parseQuery(NewAnnotationSchema, body as Record<string, string>, "invalid-form");
    c.get("audit").programmeId = input.programmeId;
    const annotationId = await addAnnotation(deps, c.get("principal"), input);
    return c.json({ annotationId }, 201, { Location: `/api/v1/annotations/${annotationId}` });
  });

  api.delete("/annotations/:annotationId", audited(deps.db, "annotation.delete"), async (c) => {
    await deleteAnnotation(deps, c.get("principal"), c.req.param("annotationId"));
    return c.body(null, 204);
  });

  api.post("/erasures", audited(deps.db, "client.erase"), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ProblemError("invalid-form", "The body must be a JSON object: {clientId, reason?}.", {
        errors: [{ field: "(body)", reason: "is not valid JSON" }],
      });
    }
    const input = parseQuery(ErasureRequestSchema, body as Record<string, string>, "invalid-form");
    const note = c.get("audit");
    note.clientId = input.clientId;
    const result = await eraseClientFor(deps, c.get("principal"), input);
    note.details = result.removed;
    return c.json(result, 200);
  });

  return api;
}
