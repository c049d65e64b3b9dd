import type { EventType } from "@evoke/events";
import type { Resource } from "@medplum/fhirtypes";
import type { Findings, MappingContext } from "../context.ts";

/** An Evoke event a resource maps to, before it becomes a CloudEvent and is validated. */
export interface EventDraft {
  readonly type: EventType;
  readonly data: Record<string, unknown>;
  /** The pseudonymous client id, for the event types that are about a client. */
  readonly subject?: string | undefined;
  /** The FHIR element (relative to the resource) each data field came from, for error messages. */
  readonly origins: Readonly<Record<string, string>>;
}

/** Maps one resource; pushes what is wrong to `findings` and returns the events (none on error). */
export type Mapper<R extends Resource> = (resource: R, context: MappingContext, findings: Findings) => EventDraft[];

/** Drops undefined members, so optional event fields are left out rather than sent as undefined. */
export function defined(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

/** The issue for a status this mapping does not turn into an event (the resource is still accepted). */
export function nothingFor(findings: Findings, path: string, why: string): EventDraft[] {
  findings.issues.push({ severity: "information", code: "informational", path, diagnostics: why });
  return [];
}
