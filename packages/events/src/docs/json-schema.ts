import { z } from "zod";
import { ALL_EVENT_TYPES, type EvokeEventType } from "../catalogue.ts";
import { ID_ALPHABET_DESCRIPTION, ID_PATTERN } from "../primitives.ts";

export type JsonSchema = Record<string, unknown>;

/** The JSON Schema of an event type's `data`, as a sender writes it (zod's input side). */
export function dataJsonSchema(type: EvokeEventType): JsonSchema {
  const { $schema: _draft, ...schema } = z.toJSONSchema(ALL_EVENT_TYPES[type].data, {
    io: "input",
    unrepresentable: "any",
  });
  return schema;
}

const TIMESTAMP = { type: "string", format: "date-time", description: "RFC 3339 date-time with an offset." };
const ID = { type: "string", pattern: ID_PATTERN.source, description: ID_ALPHABET_DESCRIPTION };

/**
 * The JSON Schema of a whole structured-mode CloudEvent of `type` (draft 2020-12). Published as
 * docs/events/<type>.schema.json for integrators' own validators; Evoke's validation is the zod
 * definition it is generated from.
 */
export function eventJsonSchema(type: EvokeEventType): JsonSchema {
  const definition = ALL_EVENT_TYPES[type];
  const subject =
    definition.subject === "none"
      ? {}
      : { subject: { ...ID, description: "The pseudonymous client ID (equal to data.clientId where data has one)." } };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `${type}.schema.json`,
    title: type,
    description: definition.summary,
    type: "object",
    required: [
      "specversion",
      "id",
      "source",
      "type",
      "time",
      ...(definition.subject === "client" ? ["subject"] : []),
      "data",
    ],
    properties: {
      specversion: { const: "1.0" },
      id: { ...ID, description: `Unique per source; with source, the idempotency key. ${ID_ALPHABET_DESCRIPTION}.` },
      source: { type: "string", format: "uri-reference", minLength: 1, maxLength: 512 },
      type: { const: type },
      time: TIMESTAMP,
      ...subject,
      datacontenttype: { type: "string", pattern: "^application/([a-z0-9.+-]+\\+)?json" },
      dataschema: { type: "string", format: "uri-reference" },
      data: dataJsonSchema(type),
    },
    // CloudEvents extension attributes (e.g. traceparent) are allowed and passed along: any
    // other member named with 1-20 lowercase letters or digits, holding a scalar.
    propertyNames: { pattern: "^[a-z0-9]{1,20}$" },
    additionalProperties: { type: ["string", "number", "boolean"] },
    examples: [
      {
        specversion: "1.0",
        id: "evt_01",
        source: "urn:clinic:north:intake",
        type,
        time: "2026-03-14T10:00:00Z",
        ...(definition.subject === "client" ? { subject: (definition.example as { clientId: string }).clientId } : {}),
        data: definition.example,
      },
    ],
  };
}

/** The schema of every type on Evoke's topics, intake and pipeline events alike. */
export function allEventJsonSchemas(): Record<EvokeEventType, JsonSchema> {
  const types = Object.keys(ALL_EVENT_TYPES) as EvokeEventType[];
  return Object.fromEntries(types.map((type) => [type, eventJsonSchema(type)])) as Record<EvokeEventType, JsonSchema>;
}
