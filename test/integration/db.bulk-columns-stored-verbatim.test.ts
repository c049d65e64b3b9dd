import { compactUtteranceCodes } from "@evoke/db";
import { type EvokeEvent, exampleEvent, PIPELINE_EVENT_TYPES } from "@evoke/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReference } from "../support/aggregation.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { type FixtureEventFields, fixtureEvent } from "../support/fixture-event.ts";

/*
 * The sink's bulk inserts send each column as one text, its values joined by U+001E and a null
 * as U+001F (projections/bulk.ts): a transcript's utterances and a coding's codes as JSON texts,
 * every other column as plain text. Whatever a clinician or client says must come back as it
 * went in, a null as a null (a human rating's codes, a transcript without a change goal), and a
 * value the joined route cannot carry must still be stored, by the array route.
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

function transcript(id: string, sessionId: string, texts: readonly string[], changeGoal?: string): EvokeEvent {
  const { changeGoal: _example, ...base } = (
    exampleEvent("evoke.transcript.submitted") as { data: Record<string, unknown> }
  ).data;
  return event("evoke.transcript.submitted", {
    id,
    data: {
      ...base,
      ...(changeGoal === undefined ? {} : { changeGoal }),
      sessionId,
      utterances: texts.map((text, index) => ({
        speaker: index % 2 === 0 ? "therapist" : "client",
        text: text === "" ? "…" : text,
        ...(index === 0 ? { startMs: 0, endMs: 1_500 } : {}),
      })),
    },
  });
}

/** A transcript whose change goal is set after validation: what no valid event holds. */
function withChangeGoal(submitted: EvokeEvent, changeGoal: string): EvokeEvent {
  (submitted.data as { changeGoal?: string }).changeGoal = changeGoal;
  return submitted;
}

describe("columns are stored verbatim through the sink's bulk inserts", () => {
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

  it("keeps texts that array literals find awkward, nulls as nulls, and falls back where the marks occur", async () => {
    const goals = ['She said "stop" \\ {now}, twice', "NULL", undefined, "ça va 🙂, \u2028 fine", "{a,b}"];
    await recordReference(
      database.db,
      goals.map((goal, index) => transcript(`tr_text_${index}`, `ses_text_${index}`, ["Hello."], goal)),
    );
    // Values no valid event holds, each alone in its batch: a separator or a null mark in a
    // value, and a single empty text (string_to_array makes no element of it).
    const odd = ["one\u001etwo", "null\u001fmark", ""];
    for (const [index, goal] of odd.entries()) {
      await recordReference(database.db, [
        withChangeGoal(transcript(`tr_odd_${index}`, `ses_text_odd_${index}`, ["Hello."]), goal),
      ]);
    }
    const stored = await database.sql<{ session_id: string; change_goal: string | null }[]>`
      select session_id, change_goal from transcripts where session_id like 'ses_text_%' order by session_id`;
    expect(stored).toEqual([
      ...goals.map((goal, index) => ({ session_id: `ses_text_${index}`, change_goal: goal ?? null })),
      ...odd.map((goal, index) => ({ session_id: `ses_text_odd_${index}`, change_goal: goal })),
    ]);
  });
});
