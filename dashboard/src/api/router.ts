import { recordAnnotation, removeAnnotation } from "@evoke/db";
import { Hono } from "hono";
import { z } from "zod";
import { type Capability, can, type Principal, rolesWith, seesProgramme } from "../access/principal.ts";
import type { DashboardEnv } from "../env.ts";
import { toCsv } from "../http/csv.ts";
import { notFound, ProblemError } from "../http/problems.ts";
import type { DashboardDeps, Endpoint } from "./endpoint.ts";
import { ENDPOINTS } from "./endpoints.ts";
import { openApiDocument } from "./openapi.ts";
import { parseQuery } from "./params.ts";

/*
 * /api/v1: each endpoint definition becomes a GET route answering JSON, or CSV with
 * ?format=csv. Authentication happened before (app.ts); here the role's capability is checked.
 */

export function requireCapability(principal: Principal, capability: Capability): void {
  if (!can(principal, capability)) {
    throw new ProblemError(
      "forbidden",
      `This needs the ${rolesWith(capability)} role; your token "${principal.name}" is ${principal.role}.`,
    );
  }
}

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

export const NewAnnotationSchema = z.object({
  programmeId: z
    .string()
    .regex(/^[A-Za-z0-9_.:~-]{1,128}$/, "must be a programme id")
    .nullable()
    .default(null)
    .describe("The programme the note is about; null: the whole organisation."),
  day: z.iso.date("must be a date as YYYY-MM-DD"),
  label: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
});

/** Adds an annotation for the principal, checking role and programme. Returns its id. */
export async function addAnnotation(
  deps: DashboardDeps,
  principal: Principal,
  input: z.infer<typeof NewAnnotationSchema>,
): Promise<string> {
  requireCapability(principal, "annotate");
  if (input.programmeId === null && principal.programmeIds !== null) {
    throw new ProblemError("forbidden", "Organisation-wide annotations need a token that sees every programme.");
  }
  if (input.programmeId !== null && !seesProgramme(principal, input.programmeId)) {
    throw notFound(`Programme "${input.programmeId}"`);
  }
  deps.cache.clear();
  return recordAnnotation(deps.db, {
    programmeId: input.programmeId,
    day: new Date(`${input.day}T00:00:00Z`),
    label: input.label,
    createdBy: principal.name,
  });
}

export async function deleteAnnotation(deps: DashboardDeps, principal: Principal, annotationId: string): Promise<void> {
  requireCapability(principal, "annotate");
  const valid = z.uuid().safeParse(annotationId).success;
  if (!valid || !(await removeAnnotation(deps.db, annotationId, principal.programmeIds))) {
    throw notFound(`Annotation "${annotationId}"`);
  }
  deps.cache.clear();
}

export function createApiRouter(deps: DashboardDeps): Hono<DashboardEnv> {
  const api = new Hono<DashboardEnv>();

  api.get("/openapi.json", (c) => c.json(openApiDocument()));

  for (const definition of ENDPOINTS) {
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
      c.header("Cache-Control", "no-store");
      if (format === "csv" && definition.table !== undefined) {
        c.header("Content-Disposition", `attachment; filename="${csvName(definition.path)}"`);
        return c.body(toCsv(definition.table(data)), 200, { "Content-Type": "text/csv; charset=utf-8" });
      }
      return c.json(data);
    });
  }

  api.post("/annotations", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ProblemError("invalid-form", "The body must be a JSON object: {programmeId, day, label}.", {
        errors: [{ field: "(body)", reason: "is not valid JSON" }],
      });
    }
    const input = parseQuery(NewAnnotationSchema, body as Record<string, string>, "invalid-form");
    const annotationId = await addAnnotation(deps, c.get("principal"), input);
    return c.json({ annotationId }, 201, { Location: `/api/v1/annotations/${annotationId}` });
  });

  api.delete("/annotations/:annotationId", async (c) => {
    await deleteAnnotation(deps, c.get("principal"), c.req.param("annotationId"));
    return c.body(null, 204);
  });

  return api;
}
