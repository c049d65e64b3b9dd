import type { FhirConfig } from "@evoke/config";
import type { IntakeEvent } from "@evoke/events";
import type { Bundle, BundleEntry, OperationOutcome, Resource } from "@medplum/fhirtypes";
import { type MappedResource, mapResource, type RequestFacts } from "./mapping.ts";
import { error, type FhirIssue, operationOutcome, requestOutcome } from "./outcome.ts";
import { type Located, ResourceIndex } from "./resource-index.ts";

/*
 * What a POST /fhir/r4 body asks for, and the answer once its events are acknowledged:
 * - a transaction, collection or message Bundle, or a single resource: all or nothing;
 * - a batch Bundle: each entry on its own, answered entry by entry.
 * Nothing here talks to Kafka: the route publishes `events`, then sends `accepted()`.
 */

export const BUNDLE_TYPES = ["transaction", "batch", "collection", "message"] as const;
/** The same ceiling as a CloudEvents batch. */
export const MAX_BUNDLE_ENTRIES = 1_000;

export interface FhirAnswer {
  readonly status: number;
  readonly resource: Resource;
}

export type FhirPlan =
  | { readonly kind: "rejected"; readonly answer: FhirAnswer }
  | {
      readonly kind: "publish";
      readonly events: readonly IntakeEvent[];
      /** How many resources were refused (a batch goes ahead with the rest). */
      readonly refused: number;
      /** The answer to send once Kafka acknowledged `events`. */
      readonly accepted: () => FhirAnswer;
    };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rejected(status: number, outcome: OperationOutcome): FhirPlan {
  return { kind: "rejected", answer: { status, resource: outcome } };
}

/** 400 when the request's shape is wrong, 422 when resources are well formed but cannot be mapped. */
function statusFor(issues: readonly FhirIssue[]): number {
  return issues.some((issue) => issue.severity === "error" && issue.code === "structure") ? 400 : 422;
}

function summary(events: number, resources: number): ReturnType<typeof requestOutcome> {
  return requestOutcome(
    "information",
    "informational",
    `Accepted: ${events} Evoke event${events === 1 ? "" : "s"} from ${resources} resource${resources === 1 ? "" : "s"}, acknowledged by Kafka.`,
  );
}

/** A single resource (not a Bundle). */
function planResource(body: Record<string, unknown>, config: FhirConfig, facts: RequestFacts): FhirPlan {
  const located: Located = {
    resource: body as unknown as Resource,
    root: String(body.resourceType),
    fullUrl: undefined,
  };
  const index = new ResourceIndex();
  index.add(located);
  const mapped = mapResource(located, { config, index }, facts);
  const errors = mapped.issues.filter((issue) => issue.severity === "error");
  if (errors.length > 0) {
    return rejected(statusFor(errors), operationOutcome(errors.map((issue) => ({ issue, root: located.root }))));
  }
  return {
    kind: "publish",
    events: mapped.events,
    refused: 0,
    accepted: () => ({
      status: 202,
      resource: {
        resourceType: "OperationOutcome",
        issue: [
          ...summary(mapped.events.length, 1).issue,
          ...operationOutcome(mapped.issues.map((issue) => ({ issue, root: located.root }))).issue,
        ],
      },
    }),
  };
}

/** The structural problems of one entry, or its resource located in the Bundle. */
function entryOf(entry: unknown, index: number, bundleType: string): Located | FhirIssue[] {
  const root = `Bundle.entry[${index}]`;
  if (!isObject(entry)) return [error(root, "must be an object", "structure")];
  const resource = entry.resource;
  if (!isObject(resource))
    return [error(`${root}.resource`, "is required: the resource this entry carries", "structure")];
  if (typeof resource.resourceType !== "string") {
    return [error(`${root}.resource.resourceType`, "is required", "structure")];
  }
  const request = entry.request;
  if ((bundleType === "transaction" || bundleType === "batch") && isObject(request)) {
    const method = request.method;
    if (method !== "POST" && method !== "PUT") {
      return [
        error(
          `${root}.request.method`,
          "must be POST or PUT: Evoke takes resources in; it cannot read, patch or delete them",
          "not-supported",
        ),
      ];
    }
  }
  const fullUrl = typeof entry.fullUrl === "string" ? entry.fullUrl : undefined;
  return { resource: resource as unknown as Resource, root: `${root}.resource`, fullUrl };
}

function entryResponse(mapped: MappedResource, root: string): BundleEntry {
  const errors = mapped.issues.filter((issue) => issue.severity === "error");
  const issues = errors.length > 0 ? errors : mapped.issues;
  const outcome = issues.length === 0 ? undefined : operationOutcome(issues.map((issue) => ({ issue, root })));
  const status =
    errors.length === 0
      ? "202 Accepted"
      : `${statusFor(errors)} ${statusFor(errors) === 400 ? "Bad Request" : "Unprocessable Entity"}`;
  return { response: { status, ...(outcome === undefined ? {} : { outcome }) } };
}

function planBundle(body: Record<string, unknown>, config: FhirConfig, facts: RequestFacts): FhirPlan {
  const type = body.type;
  if (typeof type !== "string" || !(BUNDLE_TYPES as readonly string[]).includes(type)) {
    return rejected(
      400,
      operationOutcome([
        {
          issue: error(
            "type",
            type === undefined
              ? `is required: one of ${BUNDLE_TYPES.join(", ")}`
              : `must be one of ${BUNDLE_TYPES.join(", ")}`,
            type === undefined ? "required" : "not-supported",
          ),
          root: "Bundle",
        },
      ]),
    );
  }
  const entries = body.entry === undefined ? [] : body.entry;
  if (!Array.isArray(entries) || entries.length === 0) {
    return rejected(
      400,
      operationOutcome([{ issue: error("entry", "must hold at least one entry", "structure"), root: "Bundle" }]),
    );
  }
  if (entries.length > MAX_BUNDLE_ENTRIES) {
    return rejected(
      413,
      operationOutcome([
        {
          issue: error(
            "entry",
            `holds ${entries.length} entries; the limit is ${MAX_BUNDLE_ENTRIES}: split the Bundle`,
            "too-costly",
          ),
          root: "Bundle",
        },
      ]),
    );
  }

  const located = entries.map((entry, index) => entryOf(entry, index, type));
  const index = new ResourceIndex();
  for (const entry of located) if (!Array.isArray(entry)) index.add(entry);
  const context = { config, index };
  // A message's first entry is its MessageHeader: it routes the message and maps to nothing.
  const mapped: MappedResource[] = located.map((entry, position) => {
    if (Array.isArray(entry)) return { events: [], issues: entry };
    if (type === "message" && position === 0) {
      return entry.resource.resourceType === "MessageHeader"
        ? { events: [], issues: [] }
        : {
            events: [],
            issues: [error("resourceType", "must be MessageHeader: a message Bundle starts with one", "structure")],
          };
    }
    return mapResource(entry, context, facts);
  });
  const rootOf = (position: number) => {
    const entry = located[position];
    return entry === undefined || Array.isArray(entry) ? "" : entry.root;
  };

  if (type === "batch") {
    const events = mapped.flatMap((result) =>
      result.issues.some((issue) => issue.severity === "error") ? [] : result.events,
    );
    return {
      kind: "publish",
      events,
      refused: mapped.filter((result) => result.issues.some((issue) => issue.severity === "error")).length,
      accepted: () => ({
        status: 200,
        resource: {
          resourceType: "Bundle",
          type: "batch-response",
          entry: mapped.map((result, position) => entryResponse(result, rootOf(position))),
        } as Bundle,
      }),
    };
  }

  const errors = mapped.flatMap((result, position) =>
    result.issues.filter((issue) => issue.severity === "error").map((issue) => ({ issue, root: rootOf(position) })),
  );
  if (errors.length > 0) {
    return rejected(statusFor(errors.map(({ issue }) => issue)), operationOutcome(errors));
  }
  const events = mapped.flatMap((result) => result.events);
  return {
    kind: "publish",
    events,
    refused: 0,
    accepted: () =>
      type === "transaction"
        ? {
            status: 200,
            resource: {
              resourceType: "Bundle",
              type: "transaction-response",
              entry: mapped.map((result, position) => entryResponse(result, rootOf(position))),
            } as Bundle,
          }
        : { status: 202, resource: summary(events.length, entries.length) },
  };
}

/** Reads a parsed request body: a Bundle or one resource. */
export function planFhirRequest(body: unknown, config: FhirConfig, facts: RequestFacts): FhirPlan {
  if (!isObject(body) || typeof body.resourceType !== "string") {
    return rejected(
      400,
      operationOutcome([
        {
          issue: error(
            "",
            "must be a FHIR resource: a JSON object with resourceType (a Bundle, or one resource)",
            "structure",
          ),
          root: "Resource",
        },
      ]),
    );
  }
  return body.resourceType === "Bundle" ? planBundle(body, config, facts) : planResource(body, config, facts);
}
