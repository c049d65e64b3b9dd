import { EVENT_TYPE_NAMES, EVENT_TYPES, PIPELINE_EVENT_TYPES } from "../catalogue.ts";
import { INGEST_KEY_HEADER, RECEIVED_AT_HEADER } from "../kafka-binding.ts";
import { TOPICS, TRANSCRIPT_EVENT_TYPE } from "../topics.ts";
import { dataJsonSchema, type JsonSchema } from "./json-schema.ts";

function messageName(type: string): string {
  return type
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** The headers every intake message carries (CloudEvents Kafka binding, binary mode). */
function intakeHeaders(type: string, subject: "client" | "optional-client" | "none"): JsonSchema {
  return {
    type: "object",
    required: [
      "ce_specversion",
      "ce_id",
      "ce_source",
      "ce_type",
      "ce_time",
      "content-type",
      RECEIVED_AT_HEADER,
      INGEST_KEY_HEADER,
    ],
    properties: {
      ce_specversion: { const: "1.0" },
      ce_id: { type: "string", description: "Unique per source; with ce_source, the idempotency key." },
      ce_source: { type: "string", description: "The sending system (URI reference)." },
      ce_type: { const: type },
      ce_time: { type: "string", format: "date-time" },
      ...(subject === "none" ? {} : { ce_subject: { type: "string", description: "The pseudonymous client ID." } }),
      "content-type": { const: "application/json" },
      [RECEIVED_AT_HEADER]: { type: "string", format: "date-time", description: "When ingest accepted the event." },
      [INGEST_KEY_HEADER]: { type: "string", description: "The name of the API key that sent it." },
    },
    additionalProperties: { type: "string", description: "ce_<extension> for CloudEvents extension attributes." },
  };
}

/**
 * An AsyncAPI 3.0 description of Evoke's topics: what ingest publishes on the intake topic
 * (one message per event type) and the transcripts topic, and the coded and dead-letter topics.
 */
export function asyncApiDocument(): JsonSchema {
  const intakeMessages = Object.fromEntries(
    EVENT_TYPE_NAMES.map((type) => [
      messageName(type),
      {
        name: type,
        title: type,
        summary: EVENT_TYPES[type].summary,
        contentType: "application/json",
        headers: intakeHeaders(type, EVENT_TYPES[type].subject),
        payload: dataJsonSchema(type),
        bindings: {
          kafka: {
            key: {
              type: "string",
              description: "The client ID (programme, therapist or session ID for events without one).",
            },
            bindingVersion: "0.5.0",
          },
        },
      },
    ]),
  );
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Evoke event topics",
      version: "1.0.0",
      description:
        "Kafka topics of the Evoke pipeline. Messages follow the CloudEvents Kafka protocol binding in binary content mode: attributes in ce_* headers, data as the JSON value.",
    },
    servers: { local: { host: "127.0.0.1:9092", protocol: "kafka", description: "npm start's local broker" } },
    channels: {
      intake: {
        address: TOPICS.intake,
        description:
          "Every event ingest accepted except transcripts, keyed by client so each client's events stay in order. (Before evoke.transcripts.v1, transcripts were published here too.)",
        messages: Object.fromEntries(
          Object.keys(intakeMessages)
            .filter((name) => name !== messageName(TRANSCRIPT_EVENT_TYPE))
            .map((name) => [name, { $ref: `#/components/messages/${name}` }]),
        ),
      },
      transcripts: {
        address: TOPICS.transcripts,
        description:
          "The evoke.transcript.submitted events ingest accepted, keyed by client, apart from the small events so the coding service reads only what it codes.",
        messages: {
          [messageName(TRANSCRIPT_EVENT_TYPE)]: { $ref: `#/components/messages/${messageName(TRANSCRIPT_EVENT_TYPE)}` },
        },
      },
      coded: {
        address: TOPICS.coded,
        description:
          "Automatic MITI 4.2.1 codings of transcripts, published by services/coding, keyed by client. The event id is derived from the transcript event and the model version: recoding with the same model repeats the id, other versions sit beside it.",
        messages: { EvokeSessionCoded: { $ref: "#/components/messages/EvokeSessionCoded" } },
      },
      deadLetter: {
        address: TOPICS.deadLetter,
        description:
          "Messages a consumer could not process, unchanged, with headers naming the reason, original topic, partition and offset.",
        messages: {},
      },
    },
    operations: {
      publishIntake: {
        action: "send",
        channel: { $ref: "#/channels/intake" },
        summary: "services/ingest publishes each accepted event once Kafka acknowledges it (acks=all).",
      },
      publishTranscripts: {
        action: "send",
        channel: { $ref: "#/channels/transcripts" },
        summary: "services/ingest publishes each accepted transcript once Kafka acknowledges it (acks=all).",
      },
      codeTranscripts: {
        action: "receive",
        channel: { $ref: "#/channels/transcripts" },
        summary: "services/coding (consumer group coding) reads evoke.transcript.submitted events.",
      },
      publishCodings: {
        action: "send",
        channel: { $ref: "#/channels/coded" },
        summary:
          "services/coding publishes one evoke.session.coded per transcript, in the same Kafka transaction as its consumer offsets.",
      },
    },
    components: {
      messages: {
        ...intakeMessages,
        EvokeSessionCoded: {
          name: "evoke.session.coded",
          title: "evoke.session.coded",
          summary: PIPELINE_EVENT_TYPES["evoke.session.coded"].summary,
          contentType: "application/json",
          headers: {
            type: "object",
            required: ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject"],
            properties: {
              ce_specversion: { const: "1.0" },
              ce_id: { type: "string" },
              ce_source: { const: "urn:evoke:coding" },
              ce_type: { const: "evoke.session.coded" },
              ce_time: { type: "string", format: "date-time" },
              ce_subject: { type: "string" },
            },
          },
          payload: dataJsonSchema("evoke.session.coded"),
        },
      },
    },
  };
}
