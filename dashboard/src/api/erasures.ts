import { type ErasureResult, eraseClient } from "@evoke/db";
import { z } from "zod";
import type { Principal } from "../access/principal.ts";
import { notFound, ProblemError } from "../http/problems.ts";
import { requireCapability } from "./capability.ts";
import type { DashboardDeps } from "./endpoint.ts";

/*
 * Erasure on request (UK/EU GDPR art. 17, a clinic's own policy): a director removes a client's
 * facts and every row derived from them. The JSON API and the OpenAPI document share this schema.
 */

export const ErasureRequestSchema = z.object({
  clientId: z.string().regex(/^[A-Za-z0-9_.:~-]{1,128}$/, "must be a client id"),
  /** Why (the request's reference, say): accepted but never stored, since it may be free text about a person. */
  reason: z.string().max(500).optional(),
});

/**
 * Erases the client for a director who sees every programme (a client's rows may span
 * programmes). An id the history has never known is a 404; a client erased before answers 200
 * again, with nothing removed (`newlyErased: false`).
 */
export async function eraseClientFor(
  deps: DashboardDeps,
  principal: Principal,
  input: z.infer<typeof ErasureRequestSchema>,
): Promise<ErasureResult> {
  requireCapability(principal, "erase");
  if (principal.programmeIds !== null) {
    throw new ProblemError("forbidden", "Erasing a client needs a director token that sees every programme.");
  }
  const result = await eraseClient(deps.db, { clientId: input.clientId, erasedBy: principal.name });
  if (result === undefined) throw notFound(`Client "${input.clientId}"`);
  deps.cache.clear();
  return result;
}
