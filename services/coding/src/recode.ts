import { fromKafkaMessage, TRANSCRIPT_EVENT_TYPE, toKafkaMessage } from "@evoke/events";
import { createProducer, type Kafka, readTopicToEnd } from "@evoke/kafka";
import { type CodingSettings, codeTranscript } from "@evoke/mi-coding";
import type { CodingTopics } from "./processor.ts";

export interface RecodeResult {
  readonly coded: number;
  readonly skippedBeforeSince: number;
}

/**
 * `mi recode`: codes every transcript on the transcripts topic (sent at or after `since`, by
 * event time) again with another model, publishing the codings beside the existing ones: their
 * ids differ by model version, so nothing is overwritten. With `legacyIntake`, also the
 * transcripts published to intake before they had a topic of their own (until that topic's
 * retention drops them). Reads up to the end of each topic as it is when recoding starts, then
 * stops.
 */
export async function recodeHistory(options: {
  readonly kafka: Kafka;
  readonly settings: CodingSettings;
  readonly topics: Pick<CodingTopics, "transcripts" | "legacyIntake" | "coded">;
  readonly since?: Date;
  readonly now?: () => Date;
}): Promise<RecodeResult> {
  const { kafka, settings, topics } = options;
  const now = options.now ?? (() => new Date());
  const producer = createProducer(kafka);
  await producer.connect();
  let coded = 0;
  let skippedBeforeSince = 0;
  try {
    const sources = [topics.transcripts, ...(topics.legacyIntake === undefined ? [] : [topics.legacyIntake])];
    for (const source of sources) {
      await readTopicToEnd(kafka, source, async (messages) => {
        const codings = [];
        for (const message of messages) {
          // Intake's many other events are skipped by their type header, unparsed.
          const type = message.headers?.ce_type?.toString();
          if (type !== undefined && type !== TRANSCRIPT_EVENT_TYPE) continue;
          const parsed = fromKafkaMessage(message);
          if (!parsed.ok || parsed.event.type !== TRANSCRIPT_EVENT_TYPE) continue;
          if (options.since !== undefined && Date.parse(parsed.event.time) < options.since.getTime())
            skippedBeforeSince += 1;
          else codings.push(await codeTranscript(parsed.event, settings, now()));
        }
        if (codings.length === 0) return;
        await producer.send({ topic: topics.coded, acks: -1, messages: codings.map((event) => toKafkaMessage(event)) });
        coded += codings.length;
      });
    }
  } finally {
    await producer.disconnect();
  }
  return { coded, skippedBeforeSince };
}
