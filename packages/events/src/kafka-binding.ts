import type { IHeaders, Message } from "@evoke/kafka";
import type { EvokeEventType } from "./catalogue.ts";
import { STORABLE_TIME_LIMITS } from "./time-limits.ts";
import { type EvokeEvent, partitionKey, type Validation, validateEvokeEvent } from "./validate.ts";

/*
 * The CloudEvents Kafka protocol binding, binary content mode: context attributes travel as
 * `ce_<name>` headers and the message value is the event's data as JSON
 * (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md).
 */

/** When ingest accepted the event (RFC 3339): the start of the pipeline's freshness clock. */
export const RECEIVED_AT_HEADER = "evoke-received-at";
/** The name (never the secret) of the API key that sent the event, for audit. */
export const INGEST_KEY_HEADER = "evoke-ingest-key";

export interface IngestMetadata {
  readonly receivedAt: string;
  readonly apiKeyName: string;
}

/** The Kafka message of an event; `metadata` is ingest's, for events it accepted. */
export function toKafkaMessage(event: EvokeEvent, metadata?: IngestMetadata): Message {
  const headers: Record<string, string> = {
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
    "content-type": "application/json",
  };
  if (metadata !== undefined) {
    headers[RECEIVED_AT_HEADER] = metadata.receivedAt;
    headers[INGEST_KEY_HEADER] = metadata.apiKeyName;
  }
  if (event.subject !== undefined) headers.ce_subject = event.subject;
  if (event.dataschema !== undefined) headers.ce_dataschema = event.dataschema;
  for (const [name, value] of Object.entries(event.extensions)) headers[`ce_${name}`] = String(value);
  return { key: partitionKey(event), value: JSON.stringify(event.data), headers };
}

function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Reads a message written by `toKafkaMessage` back into a validated event. Consumers get the
 * same checks as ingest, so a message produced by anything else is caught before it is used,
 * except the plausibility of its times: ingest judged those against its configured limits when
 * it answered 202, so a consumer holds them only to what the store can hold (a consumer's
 * later clock or different defaults must not dead-letter what ingest promised to record).
 */
export function fromKafkaMessage(message: {
  readonly value: Buffer | null;
  readonly headers?: IHeaders;
}): Validation<EvokeEvent, EvokeEventType> {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (name.startsWith("ce_")) attributes[name.slice(3)] = headerText(value);
  }
  let data: unknown;
  try {
    data = message.value === null ? undefined : JSON.parse(message.value.toString("utf8"));
  } catch {
    return {
      ok: false,
      type: undefined,
      issues: [{ field: "data", pointer: "/data", reason: "the message value is not JSON" }],
    };
  }
  // Added, not spread into a new object: V8 copies a spread and then adds to it on a slow path.
  attributes.data = data;
  return validateEvokeEvent(attributes, { timeLimits: STORABLE_TIME_LIMITS });
}
