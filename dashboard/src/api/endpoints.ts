import type { z } from "zod";
import { agreementEndpoint } from "./agreement-endpoints.ts";
import { auditEndpoint } from "./audit-endpoints.ts";
import type { Endpoint } from "./endpoint.ts";
import {
  fidelityEndpoint,
  overviewEndpoint,
  programmeSummaryEndpoint,
  programmesEndpoint,
  qiSeriesEndpoint,
  readinessEndpoint,
  sessionsEndpoint,
} from "./fidelity-endpoints.ts";
import { associationEndpoint, cohortsEndpoint, retentionEndpoint } from "./outcome-endpoints.ts";
import { pipelineEndpoint } from "./pipeline-endpoints.ts";
import { annotationsEndpoint, sessionEndpoint, therapistsEndpoint } from "./session-endpoints.ts";

/** An endpoint with its query and answer types erased: the router and OpenAPI only route and describe. */
export type AnyEndpoint = Endpoint<z.ZodType, unknown>;

/**
 * Every GET endpoint of /api/v1, in the order the OpenAPI document lists them. Each is type
 * checked where it is defined; the router parses the query with the endpoint's own schema before
 * calling its load, which is what makes erasing the types here sound.
 */
export const ENDPOINTS = [
  programmesEndpoint,
  programmeSummaryEndpoint,
  overviewEndpoint,
  fidelityEndpoint,
  therapistsEndpoint,
  sessionsEndpoint,
  sessionEndpoint,
  readinessEndpoint,
  associationEndpoint,
  retentionEndpoint,
  qiSeriesEndpoint,
  annotationsEndpoint,
  cohortsEndpoint,
  agreementEndpoint,
  pipelineEndpoint,
  auditEndpoint,
] as unknown as readonly AnyEndpoint[];
