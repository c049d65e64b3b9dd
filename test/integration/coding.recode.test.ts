import { recodeHistory } from "@evoke/coding";
import { type CloudEvent, exampleEvent, toKafkaMessage, validateEvent } from "@evoke/events";
import { createProducer, type Kafka } from "@evoke/kafka";
import { type Coder, createCoder, loadCoder, parseModel, serializeModel, THRESHOLD_PRESETS } from "@evoke/mi-coding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMessages } from "../support/ingest.ts";
import { createTestTopics, type TestTopics, testKafka } from "../support/kafka.ts";

/*
 * `mi recode` codes history again with another model version. Both versions' codings live side
 * by side (different ids), and --since leaves older transcripts alone.
 */

function transcript(id: string, time: string): CloudEvent<"evoke.transcript.submitted"> {
  const result = validateEvent(exampleEvent("evoke.transcript.submitted", { id, time }));
  if (!result.ok || result.event.type !== "evoke.transcript.submitted") throw new Error("bad fixture");
  return result.event;
}

describe("recoding history with another model version", () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let current: Coder;
  let other: Coder;

  beforeAll(async () => {
    kafka = testKafka("recode");
    topics = await createTestTopics(kafka, "recode", { count: 3, partitions: 2 });
    current = await loadCoder();
    // Another version of the model: the same weights trained "elsewhere", so its hash differs.
    const { json } = serializeModel({ ...current.model, trainedOn: `${current.model.trainedOn} (retrained)` });
    other = await createCoder(parseModel(json), {
      ...(current.encoder === undefined ? {} : { shareEncoder: current.encoder }),
    });
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({
      topic: topics.names[0] ?? "",
      messages: [transcript("evt_old", "2026-01-10T09:00:00Z"), transcript("evt_new", "2026-03-10T09:00:00Z")].map(
        (event) => toKafkaMessage(event),
      ),
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await topics?.drop();
    await other?.close();
    await current?.close();
  });

  it("publishes codings under each version beside the others, and honours --since", async () => {
    const [transcripts = "", coded = ""] = topics.names;
    const settings = (coder: Coder) => ({ coder, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" });
    expect(other.model.version).not.toBe(current.model.version);

    expect(await recodeHistory({ kafka, settings: settings(current), topics: { transcripts, coded } })).toEqual({
      coded: 2,
      skippedBeforeSince: 0,
    });
    expect(
      await recodeHistory({
        kafka,
        settings: settings(other),
        topics: { transcripts, coded },
        since: new Date("2026-03-01T00:00:00Z"),
      }),
    ).toEqual({ coded: 1, skippedBeforeSince: 1 });

    const codings = await readMessages(kafka, coded, 3);
    const versions = codings.map((message) => [
      (message.value as { transcript: { id: string } }).transcript.id,
      (message.value as { modelVersion: string }).modelVersion,
    ]);
    expect(versions.sort()).toEqual(
      [
        ["evt_new", current.model.version],
        ["evt_new", other.model.version],
        ["evt_old", current.model.version],
      ].sort(),
    );
    expect(new Set(codings.map((message) => message.headers.ce_id)).size).toBe(3);
  });

  it("with legacyIntake (mi recode --intake), also recodes transcripts left on the old intake topic", async () => {
    const [transcripts = "", coded = "", intake = ""] = topics.names;
    const producer = createProducer(kafka);
    await producer.connect();
    const attended = validateEvent(exampleEvent("evoke.session.attended"));
    if (!attended.ok) throw new Error("bad fixture");
    await producer.send({
      topic: intake,
      messages: [toKafkaMessage(attended.event), toKafkaMessage(transcript("evt_on_intake", "2026-02-10T09:00:00Z"))],
    });
    await producer.disconnect();
    const settings = { coder: current, thresholds: THRESHOLD_PRESETS.manual, thresholdsName: "manual" };

    expect(await recodeHistory({ kafka, settings, topics: { transcripts, legacyIntake: intake, coded } })).toEqual({
      coded: 3,
      skippedBeforeSince: 0,
    });
    const ids = (await readMessages(kafka, coded, 6)).map(
      (message) => (message.value as { transcript: { id: string } }).transcript.id,
    );
    expect(ids.filter((id) => id === "evt_on_intake")).toHaveLength(1);
  });
});
