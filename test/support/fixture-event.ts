import { type EvokeEvent, validateEvokeEvent } from "@evoke/events";

/**
 * Builders of valid Evoke CloudEvents for test fixtures. A fixture the schema refuses is a bug in
 * the fixture, not a test result: it throws, naming the event and the schema's issues.
 */

export interface FixtureEventFields {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: unknown;
  readonly data: Record<string, unknown>;
}

export function fixtureEvent({ subject, ...fields }: FixtureEventFields): EvokeEvent {
  const result = validateEvokeEvent({ specversion: "1.0", ...fields, ...(subject === undefined ? {} : { subject }) });
  if (!result.ok) throw new Error(`fixture ${fields.type} ${fields.id} invalid: ${JSON.stringify(result.issues)}`);
  return result.event;
}

/** An event builder numbering its ids `<idPrefix>1`, `<idPrefix>2`, … from one source. */
export function numberedEvents(source: string, idPrefix: string) {
  let sequence = 0;
  return (type: string, time: string, data: Record<string, unknown>, subject?: unknown): EvokeEvent => {
    sequence += 1;
    return fixtureEvent({ id: `${idPrefix}${sequence}`, source, type, time, subject, data });
  };
}
