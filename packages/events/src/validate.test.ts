import { describe, expect, it } from "vitest";
import { EVENT_TYPE_NAMES, EVENT_TYPES, type EventType } from "./catalogue.ts";
import { exampleEvent } from "./examples.ts";
import { fromKafkaMessage, toKafkaMessage } from "./kafka-binding.ts";
import { partitionKey, validateEvent } from "./validate.ts";

/** The issues validateEvent reports, as "field: reason" lines (readable in failures). */
function problems(input: unknown): string[] {
  const result = validateEvent(input);
  return result.ok ? [] : result.issues.map((issue) => `${issue.field}: ${issue.reason}`);
}

function withData(type: EventType, change: (data: Record<string, unknown>) => void): Record<string, unknown> {
  const event = exampleEvent(type);
  change(event.data as Record<string, unknown>);
  return event;
}

describe("every event type", () => {
  it.each(EVENT_TYPE_NAMES)("%s: the catalogue's example is valid", (type) => {
    expect(problems(exampleEvent(type))).toEqual([]);
  });

  it.each(EVENT_TYPE_NAMES)("%s: unknown data fields are accepted and dropped", (type) => {
    const result = validateEvent(withData(type, (data) => Object.assign(data, { addedInV2: true })));
    expect(result.ok && "addedInV2" in result.event.data).toBe(false);
    expect(result.ok).toBe(true);
  });

  it.each(
    EVENT_TYPE_NAMES.flatMap((type) => {
      const shape = (EVENT_TYPES[type].data as unknown as { shape?: Record<string, { isOptional(): boolean }> }).shape;
      const fields = shape
        ? Object.keys(shape).filter((field) => !shape[field]?.isOptional())
        : ["clientId", "instrument"];
      return fields.map((field) => [type, field] as const);
    }),
  )("%s: data.%s is required", (type, field) => {
    const found = problems(withData(type, (data) => delete data[field]));
    expect(
      found.some((line) => line.startsWith(`data.${field}: is required`)),
      found.join("\n"),
    ).toBe(true);
  });
});

describe("data rules, type by type", () => {
  it.each([
    [
      "evoke.programme.registered",
      (d) => {
        d.name = "  ";
      },
      "data.name: must not be empty",
    ],
    [
      "evoke.therapist.registered",
      (d: Record<string, unknown>) => (d.displayName = 42),
      "data.displayName: must be a string",
    ],
    [
      "evoke.client.enrolled",
      (d: Record<string, unknown>) => (d.enrolledAt = "2026-03-02"),
      "data.enrolledAt: must be an RFC 3339 date-time with an offset",
    ],
    [
      "evoke.client.enrolled",
      (d: Record<string, unknown>) => (d.enrolledAt = "2026-02-30T10:00:00Z"),
      "data.enrolledAt: must be an RFC 3339 date-time with an offset",
    ],
    [
      "evoke.client.enrolled",
      (d: Record<string, unknown>) => (d.tags = "pilot"),
      "data.tags: must be an array of strings",
    ],
    [
      "evoke.client.enrolled",
      (d: Record<string, unknown>) => (d.tags = Array.from({ length: 21 }, (_, i) => `t${i}`)),
      "data.tags: must have at most 20 tags",
    ],
    [
      "evoke.client.discharged",
      (d: Record<string, unknown>) => (d.reason = "moved"),
      "data.reason: must be one of completed, dropped_out, transferred, administrative",
    ],
    [
      "evoke.session.scheduled",
      (d: Record<string, unknown>) => (d.sessionId = "ses 1"),
      "data.sessionId: must be an ID of",
    ],
    [
      "evoke.session.attended",
      (d: Record<string, unknown>) => (d.durationMinutes = 0),
      "data.durationMinutes: must be more than 0",
    ],
    [
      "evoke.session.attended",
      (d: Record<string, unknown>) => (d.durationMinutes = "45"),
      "data.durationMinutes: must be a number of minutes",
    ],
    [
      "evoke.session.missed",
      (d: Record<string, unknown>) => (d.therapistId = ""),
      "data.therapistId: must be an ID of",
    ],
    [
      "evoke.session.cancelled",
      (d: Record<string, unknown>) => (d.cancelledBy = "therapist"),
      "data.cancelledBy: must be one of client, clinic",
    ],
    [
      "evoke.readiness.measured",
      (d: Record<string, unknown>) => (d.instrument = "phq9"),
      "data.instrument: must be one of readiness-ruler, urica, socrates",
    ],
    [
      "evoke.readiness.measured",
      (d: Record<string, unknown>) => ((d.scores as Record<string, unknown>).readiness = { value: 11 }),
      "data.scores.readiness.value: must be within the scale 0-10",
    ],
    [
      "evoke.readiness.measured",
      (d: Record<string, unknown>) => ((d.scores as Record<string, unknown>).readiness = { value: 0, min: 1, max: 10 }),
      "data.scores.readiness.value: must be within the scale 1-10",
    ],
    [
      "evoke.readiness.measured",
      (d: Record<string, unknown>) => ((d.scores as Record<string, unknown>).readiness = { value: 5, min: 10, max: 1 }),
      "data.scores.readiness.max: must be greater than min (10)",
    ],
    [
      "evoke.readiness.measured",
      (d: Record<string, unknown>) => delete (d.scores as Record<string, unknown>).confidence,
      "data.scores.confidence: is required",
    ],
    [
      "evoke.transcript.submitted",
      (d: Record<string, unknown>) => (d.utterances = []),
      "data.utterances: must hold at least one utterance",
    ],
    [
      "evoke.transcript.submitted",
      (d: Record<string, unknown>) =>
        ((d.utterances as Record<string, unknown>[])[1] = { speaker: "patient", text: "x" }),
      "data.utterances[1].speaker: must be one of therapist, client",
    ],
    [
      "evoke.transcript.submitted",
      (d: Record<string, unknown>) =>
        ((d.utterances as Record<string, unknown>[])[0] = { speaker: "client", text: "" }),
      "data.utterances[0].text: must not be empty",
    ],
    [
      "evoke.transcript.submitted",
      (d: Record<string, unknown>) =>
        ((d.utterances as Record<string, unknown>[])[0] = { speaker: "client", text: "x".repeat(10_001) }),
      "data.utterances[0].text: must be at most 10000 characters",
    ],
    [
      "evoke.transcript.submitted",
      (d: Record<string, unknown>) =>
        ((d.utterances as Record<string, unknown>[])[0] = { speaker: "client", text: "hi", startMs: 900, endMs: 100 }),
      "data.utterances[0].endMs: must not be before startMs",
    ],
    [
      "evoke.transcript.submitted",
      (d: Record<string, unknown>) => (d.language = "English"),
      "data.language: must be a BCP 47 language tag",
    ],
    [
      "evoke.fidelity.rated",
      (d: Record<string, unknown>) => (d.instrument = "MITI-4.2"),
      'data.instrument: must be "MITI-4.2.1"',
    ],
    [
      "evoke.fidelity.rated",
      (d: Record<string, unknown>) => ((d.globals as Record<string, unknown>).empathy = 6),
      "data.globals.empathy: must be from 1 to 5",
    ],
    [
      "evoke.fidelity.rated",
      (d: Record<string, unknown>) => ((d.globals as Record<string, unknown>).empathy = 3.5),
      "data.globals.empathy: must be a whole number from 1 to 5",
    ],
    [
      "evoke.fidelity.rated",
      (d: Record<string, unknown>) => ((d.counts as Record<string, unknown>).question = -1),
      "data.counts.question: must not be negative",
    ],
    [
      "evoke.fidelity.rated",
      (d: Record<string, unknown>) => delete (d.counts as Record<string, unknown>).confront,
      "data.counts.confront: is required",
    ],
    [
      "evoke.fidelity.rated",
      (d: Record<string, unknown>) => (d.segmentMinutes = 0),
      "data.segmentMinutes: must be more than 0",
    ],
  ] satisfies [EventType, (data: Record<string, unknown>) => void, string][])("%s: %s", (type, change, expected) => {
    const found = problems(withData(type, change));
    expect(
      found.some((line) => line.startsWith(expected)),
      `${found.join("\n")}`,
    ).toBe(true);
  });

  it("keeps the scale with every readiness score, defaulting to the instrument's", () => {
    const result = validateEvent(exampleEvent("evoke.readiness.measured"));
    expect(result.ok && result.event.type === "evoke.readiness.measured" && result.event.data.scores).toEqual({
      importance: { value: 8, min: 0, max: 10 },
      confidence: { value: 4, min: 0, max: 10 },
      readiness: { value: 6, min: 0, max: 10 },
    });
  });

  it("accepts SOCRATES and URICA scores on their own scales", () => {
    const base = exampleEvent("evoke.readiness.measured");
    const socrates = {
      ...base,
      data: {
        ...(base.data as object),
        instrument: "socrates",
        scores: { recognition: { value: 30 }, ambivalence: { value: 12 }, takingSteps: { value: 35 } },
      },
    };
    const urica = {
      ...base,
      data: {
        ...(base.data as object),
        instrument: "urica",
        scores: {
          precontemplation: { value: 1.5 },
          contemplation: { value: 4.2 },
          action: { value: 3.1 },
          maintenance: { value: 2 },
        },
      },
    };
    expect(problems(socrates)).toEqual([]);
    expect(problems(urica)).toEqual([]);
    expect(
      problems({
        ...socrates,
        data: { ...socrates.data, scores: { ...socrates.data.scores, recognition: { value: 5 } } },
      }),
    ).toContain("data.scores.recognition.value: must be within the scale 7-35");
  });
});

describe("the CloudEvents envelope", () => {
  const valid = () => exampleEvent("evoke.session.attended");

  it.each([
    [{ specversion: "0.3" }, 'specversion: must be "1.0" (CloudEvents 1.0)'],
    [{ specversion: undefined }, 'specversion: is required ("1.0")'],
    [{ id: undefined }, "id: is required"],
    [{ id: "<script>alert(1)</script>" }, "id: must be an ID of"],
    [{ id: "1'; DROP TABLE clients;--" }, "id: must be an ID of"],
    [{ id: "x".repeat(129) }, "id: must be an ID of"],
    [{ source: "" }, "source: must not be empty"],
    [{ source: "clinic north" }, "source: must be a URI reference"],
    [{ type: "evoke.session.teleported" }, "type: is not an Evoke event type"],
    [{ type: 7 }, "type: must be a string"],
    [{ time: undefined }, "time: is required"],
    [{ time: "2026-03-14 10:00:00" }, "time: must be an RFC 3339 date-time with an offset"],
    [{ time: "2026-03-14T10:00:00" }, "time: must be an RFC 3339 date-time with an offset"],
    [{ subject: undefined }, "subject: is required: the pseudonymous client ID"],
    [{ subject: "cli_other" }, "subject: must equal data.clientId"],
    [{ datacontenttype: "text/xml" }, "datacontenttype: must be application/json"],
    [{ data: undefined }, "data: is required (a JSON object)"],
    [{ data: [1, 2] }, "data: must be a JSON object"],
    [{ data: "text" }, "data: must be a JSON object"],
    [{ data_base64: "aGVsbG8=" }, "data_base64: is not supported"],
    [{ Trace_Id: "abc" }, "Trace_Id: is not a CloudEvents attribute"],
    [{ traceparent: { nested: true } }, "traceparent: must be a string, number or boolean"],
  ] as const)("rejects %j", (overrides, expected) => {
    const found = problems({ ...valid(), ...overrides });
    expect(
      found.some((line) => line.startsWith(expected)),
      found.join("\n"),
    ).toBe(true);
  });

  it("accepts relative and absolute source URIs and extension attributes", () => {
    expect(problems({ ...valid(), source: "/clinics/north/scheduling" })).toEqual([]);
    expect(problems({ ...valid(), source: "https://ehr.example.org/feeds/1" })).toEqual([]);
    const result = validateEvent({ ...valid(), traceparent: "00-abc-def-01", priority: 2 });
    expect(result.ok && result.event.extensions).toEqual({ traceparent: "00-abc-def-01", priority: 2 });
  });

  it("refuses a subject on events that are not about a client", () => {
    expect(problems(exampleEvent("evoke.programme.registered", { subject: "cli_1" }))).toEqual([
      "subject: must be left out: this event is not about a client",
    ]);
  });

  it("reports every problem of an event at once", () => {
    const found = problems({ ...valid(), id: "", time: "noon", data: { sessionId: "s1" } });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: /),
        expect.stringMatching(/^time: /),
        "data.clientId: is required",
        "data.therapistId: is required",
        "data.programmeId: is required",
        "data.occurredAt: is required",
      ]),
    );
  });

  it("never echoes the rejected values, which could be health data", () => {
    const secret = "I have been drinking since my divorce";
    const event = withData("evoke.transcript.submitted", (data) => {
      data.utterances = [{ speaker: secret, text: secret }];
      data.clientId = secret;
    });
    expect(JSON.stringify(validateEvent(event))).not.toContain("divorce");
  });

  it("rejects something that is not an object", () => {
    expect(problems([exampleEvent("evoke.session.attended")])).toEqual([": must be a JSON object (one CloudEvent)"]);
  });
});

describe("partition keys and the Kafka binding", () => {
  it("keys client events by client, others by what they are about", () => {
    const key = (event: Record<string, unknown>) => {
      const result = validateEvent(event);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return partitionKey(result.event);
    };
    expect(key(exampleEvent("evoke.transcript.submitted"))).toBe("cli_7f3a9c");
    expect(key(exampleEvent("evoke.programme.registered"))).toBe("prg_north_alcohol");
    expect(key(exampleEvent("evoke.therapist.registered"))).toBe("thr_0042");
    expect(key(exampleEvent("evoke.fidelity.rated"))).toBe("ses_2026_03_14_0930");
    expect(key(exampleEvent("evoke.fidelity.rated", { subject: "cli_7f3a9c" }))).toBe("cli_7f3a9c");
  });

  it.each(EVENT_TYPE_NAMES)("%s survives the trip through Kafka headers and value", (type) => {
    const sent = validateEvent(exampleEvent(type, { traceparent: "00-1-2-01" }));
    if (!sent.ok) throw new Error("example invalid");
    const message = toKafkaMessage(sent.event, { receivedAt: "2026-03-14T10:00:01Z", apiKeyName: "north-ehr" });
    expect(message.headers).toMatchObject({
      ce_id: sent.event.id,
      ce_type: type,
      ce_traceparent: "00-1-2-01",
      "content-type": "application/json",
    });
    const received = fromKafkaMessage({ value: Buffer.from(String(message.value)), headers: message.headers ?? {} });
    expect(received).toEqual({ ok: true, event: sent.event });
  });

  it("reports a message whose value is not JSON", () => {
    expect(fromKafkaMessage({ value: Buffer.from("{oops"), headers: {} })).toMatchObject({
      ok: false,
      issues: [{ reason: "the message value is not JSON" }],
    });
  });
});
