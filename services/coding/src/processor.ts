import { fromKafkaMessage, TOPICS, TRANSCRIPT_EVENT_TYPE, toKafkaMessage } from "@evoke/events";
import { deadLetterMessage, type KafkaMessage, type Message } from "@evoke/kafka";
import { type CodingSettings, codeTranscript } from "@evoke/mi-coding";

/*
 * What happens to each message read, decided without touching Kafka (so it is unit-tested):
 * a transcript becomes a coding; any other event is not this service's business; a message
 * that is not a valid event, is too large, or cannot be coded goes to the dead-letter topic
 * with the reason, and the partition moves on.
 */

export interface CodingTopics {
  /** Where transcripts arrive (evoke.transcripts.v1). */
  readonly transcripts: string;
  /**
   * Migration only: a topic also read for transcripts published before they had a topic of
   * their own (evoke.intake.v1, CODING_READ_INTAKE). Its other events are skipped unparsed.
   */
  readonly legacyIntake?: string | undefined;
  readonly coded: string;
  readonly deadLetter: string;
}

export const DEFAULT_CODING_TOPICS: CodingTopics = {
  transcripts: TOPICS.transcripts,
  coded: TOPICS.coded,
  deadLetter: TOPICS.deadLetter,
};

/** The CloudEvents type a message declares in its ce_type header, read without parsing the rest. */
function declaredType(message: KafkaMessage): string | undefined {
  const value = message.headers?.ce_type;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export type Outcome =
  | { readonly kind: "coded"; readonly message: Message; readonly sessionId: string; readonly utterances: number }
  | { readonly kind: "skipped" }
  | { readonly kind: "dead-letter"; readonly message: Message; readonly reason: string };

export interface ProcessorSettings extends CodingSettings {
  readonly maxCharacters: number;
  readonly consumerGroup: string;
}

export async function processMessage(
  message: KafkaMessage,
  origin: { readonly topic: string; readonly partition: number },
  settings: ProcessorSettings,
  now: () => Date,
): Promise<Outcome> {
  const deadLetter = (reason: string): Outcome => ({
    kind: "dead-letter",
    reason,
    message: deadLetterMessage(
      message,
      { ...origin, offset: message.offset, consumer: settings.consumerGroup },
      reason,
      now(),
    ),
  });
  // Another type is not ours to read: no parsing or validation (the aggregation service
  // validates every event and dead-letters the invalid ones).
  const type = declaredType(message);
  if (type !== undefined && type !== TRANSCRIPT_EVENT_TYPE) return { kind: "skipped" };
  const parsed = fromKafkaMessage(message);
  if (!parsed.ok) {
    const issues = parsed.issues.slice(0, 5).map((issue) => `${issue.field || "(event)"}: ${issue.reason}`);
    return deadLetter(`invalid event: ${issues.join("; ")}`);
  }
  const event = parsed.event;
  if (event.type !== TRANSCRIPT_EVENT_TYPE) return { kind: "skipped" };

  const characters = event.data.utterances.reduce((sum, utterance) => sum + utterance.text.length, 0);
  if (characters > settings.maxCharacters) {
    return deadLetter(
      `oversized transcript: ${characters} characters (limit ${settings.maxCharacters}, CODING_MAX_CHARACTERS)`,
    );
  }
  try {
    const coded = await codeTranscript(event, settings, now());
    return {
      kind: "coded",
      message: toKafkaMessage(coded),
      sessionId: event.data.sessionId,
      utterances: event.data.utterances.length,
    };
  } catch (error) {
    // A transcript the coder cannot handle must not block its partition: park it with the cause.
    // Only the error's name: a message could quote the transcript.
    return deadLetter(`coding failed: ${(error as Error).name}`);
  }
}
