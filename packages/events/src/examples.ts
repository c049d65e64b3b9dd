import { EVENT_TYPES, type EventType } from "./catalogue.ts";

/** A valid structured-mode CloudEvent of `type`, built from the catalogue's example: for docs and tests. */
export function exampleEvent(type: EventType, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const definition = EVENT_TYPES[type];
  const data = structuredClone(definition.example) as Record<string, unknown>;
  const subject = definition.subject === "client" ? data.clientId : undefined;
  return {
    specversion: "1.0",
    id: `evt_${type.replaceAll(".", "_")}_0001`,
    source: "urn:clinic:north:intake",
    type,
    time: "2026-03-14T10:00:00Z",
    ...(subject === undefined ? {} : { subject }),
    data,
    ...overrides,
  };
}
