import { compactUtteranceCodes } from "@evoke/db";
import { type EvokeEvent, exampleEvent, PIPELINE_EVENT_TYPES } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReference } from "../support/aggregation.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { type FixtureEventFields, fixtureEvent } from "../support/fixture-event.ts";

/*
 * A transcript's utterances and a coding's codes reach their json columns as one text of JSON
 * texts joined by U+001E (projections/bulk.ts). Whatever a clinician or client says must come
 * back as it went in, and a coding without codes (a human rating) must be a SQL null.
 */

function event(type: Parameters<typeof exampleEvent>[0], overrides: Record<string, unknown>): EvokeEvent {
  return fixtureEvent(exampleEvent(type, overrides) as unknown as FixtureEventFields);
}

/** The catalogue's example of the coding event (a pipeline event: exampleEvent covers intake's). */
function codedEvent(id: string): EvokeEvent {
  const data = structuredClone(PIPELINE_EVENT_TYPES["evoke.session.coded"].example);
  return fixtureEvent({
    id,
    source: "urn:evoke:coding",
    type: "evoke.session.coded",
    time: "2026-03-14T10:00:00Z",
    subject: data.clientId,
    data,
  });
}

/** Text that needs escaping in every format it passes through: JSON, array literals, SQL. */
const AWKWARD = [
  'She said "I\'ll stop" \\ then {laughed}, "twice".',
  "Tab\there, and a new line\nand a carriage return\r too.",
  "NULL",
  "",
  "Ünïcödé: ça va? 🙂 — ‘quotes’ — 日本語 — \u2028 separator",
  '[1, 2, {"a": null}]',
];

function transcript(id: string, sessionId: string, texts: readonly string[]): EvokeEvent {
  const base = exampleEvent("evoke.transcript.submitted") as { data: Record<string, unknown> };
  return event("evoke.transcript.submitted", {
    id,
    data: {
      ...base.data,
      sessionId,
      utterances: texts.map((text, index) => ({
        speaker: index % 2 === 0 ? "therapist" : "client",
        text: text === "" ? "…" : text,
        ...(index === 0 ? { startMs: 0, endMs: 1_500 } : {}),
      })),
    },
  });
}

describe("json columns are stored verbatim through the sink's bulk inserts", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("json_columns");
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("keeps every utterance's text and every coding's codes, and a human rating's codes null", async () => {
    const transcripts = [
      transcript("tr_1", "ses_json_1", AWKWARD),
      transcript("tr_2", "ses_json_2", [...AWKWARD].reverse()),
    ];
    const coded = codedEvent("cod_1");
    const rated = event("evoke.fidelity.rated", { id: "rat_1" });
    await recordReference(database.db, [...transcripts, coded, rated]);

    const stored = await database.sql<{ session_id: string; utterances: unknown }[]>`
      select session_id, utterances from transcripts order by session_id`;
    expect(stored).toEqual(
      transcripts.map((submitted) => ({
        session_id: (submitted.data as { sessionId: string }).sessionId,
        utterances: (submitted.data as { utterances: unknown }).utterances,
      })),
    );
    const codings = await database.sql<{ kind: string; utterance_codes: unknown }[]>`
      select kind, utterance_codes from session_codings order by kind`;
    expect(codings).toEqual([
      {
        kind: "automatic",
        utterance_codes: compactUtteranceCodes(
          (coded as Extract<EvokeEvent, { type: "evoke.session.coded" }>).data.utterances,
        ),
      },
      { kind: "human", utterance_codes: null },
    ]);
  });

  it("stores a batch whose only json value is null as null", async () => {
    // One row with no codes: the joined text is empty, and string_to_array('') has no elements.
    await recordReference(database.db, [event("evoke.fidelity.rated", { id: "rat_2" })]);
    const [row] = await database.sql<{ utterance_codes: unknown; is_null: boolean }[]>`
      select utterance_codes, utterance_codes is null as is_null from session_codings
      where coding_id like '%rat_2'`;
    expect(row).toEqual({ utterance_codes: null, is_null: true });
  });
});
