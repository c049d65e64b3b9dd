import { z } from "zod";
import { kafkaSecurity, kafkaSecurityIssues, kafkaSecurityVariables } from "../kafka-security.ts";
import { defineConfig } from "../load.ts";
import { flag, host, integer, logLevel, port, requiredBrokerList } from "../variables.ts";

/** services/coding: codes transcripts from the transcripts topic. */
export const codingConfig = defineConfig(
  "coding",
  {
    KAFKA_BROKERS: requiredBrokerList("Kafka brokers (host:port, comma-separated)."),
    ...kafkaSecurityVariables,
    CODING_PORT: port("Coding service: health endpoint port (/healthz, /readyz).", 8081),
    CODING_HOST: host("Coding service: address of the health endpoint.", "127.0.0.1"),
    CODING_MODEL: z
      .string()
      .min(1, { error: "must name a model version or file" })
      .optional()
      .describe(
        "Coding service: the coder model, by version (e.g. annomi-lr-e8def7ff33dc, the previous model, kept in packages/mi-coding/model/archive/) or file. Unset: the committed model (packages/mi-coding/model/coder.json).",
      ),
    CODING_THREADS: integer(
      "Coding service: threads of the sentence encoder (coder v2); 1 keeps an instance to one core.",
      1,
    ),
    CODING_THRESHOLDS: z
      .enum(["manual", "lyssn"], { error: "must be manual or lyssn" })
      .default("manual")
      .describe("Fair/good thresholds for the verdicts: manual (MITI 4.2.1) or lyssn (Technical fair 3.5)."),
    CODING_MAX_CHARACTERS: integer(
      "Coding service: transcripts with more text than this go to the dead-letter topic.",
      2_000_000,
    ),
    CODING_INSTANCE: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "must be 1-64 letters, digits, '.', '_' or '-'" })
      .default("1")
      .describe(
        "Coding service: this instance's name, unique per running instance (part of its Kafka transactional id).",
      ),
    CODING_READ_INTAKE: flag(
      "Coding service: also code transcripts still on evoke.intake.v1 (published before evoke.transcripts.v1 existed); for the upgrade only, off once the coding group has no lag there.",
      false,
    ),
    LOG_LEVEL: logLevel("Log level: trace, debug, info, warn, error, fatal or silent."),
  },
  (env) => ({
    kafka: { brokers: env.KAFKA_BROKERS, security: kafkaSecurity(env) },
    http: { port: env.CODING_PORT, host: env.CODING_HOST },
    model: env.CODING_MODEL,
    threads: env.CODING_THREADS,
    thresholds: env.CODING_THRESHOLDS,
    maxCharacters: env.CODING_MAX_CHARACTERS,
    instance: env.CODING_INSTANCE,
    readIntake: env.CODING_READ_INTAKE,
    logLevel: env.LOG_LEVEL,
  }),
  kafkaSecurityIssues,
);

export type CodingConfig = ReturnType<typeof codingConfig.build>;
