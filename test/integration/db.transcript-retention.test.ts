import { purgeTranscriptText } from "@evoke/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReference } from "../support/aggregation.ts";
import { clinicHistory } from "../support/clinic-events.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/*
 * Transcript text is health data kept for TRANSCRIPT_RETENTION_DAYS; what was learned from it
 * (codes, scores, utterance counts) stays for the analytics.
 */

describe("the transcript retention policy", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase("retention");
    await recordReference(database.db, (await clinicHistory(4)).events);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("removes only text stored longer ago than the retention period, and keeps the codings", async () => {
    const { sql } = database;
    const [{ total } = { total: 0 }] = await sql`select count(*)::int as total from transcripts`;
    expect(total).toBeGreaterThan(2);
    // Two transcripts were stored 100 days ago; the rest today.
    const old = await sql`
      update transcripts set stored_at = now() - interval '100 days'
      where (source, event_id) in (select source, event_id from transcripts order by event_id limit 2)
      returning session_id`;
    const codingsBefore =
      await sql`select coding_id, technical, utterance_codes from session_codings order by coding_id`;

    expect(await purgeTranscriptText(database.db, 90)).toBe(2);
    const rows = await sql`
      select session_id, utterances is null as purged, change_goal, text_purged_at is not null as marked, utterance_count
      from transcripts order by session_id`;
    const oldSessions = new Set(old.map((row) => row.session_id));
    for (const row of rows) {
      const expired = oldSessions.has(row.session_id);
      expect(row).toMatchObject({ purged: expired, marked: expired });
      if (expired) expect(row.change_goal).toBeNull();
      expect(row.utterance_count).toBeGreaterThan(0);
    }
    expect(await sql`select coding_id, technical, utterance_codes from session_codings order by coding_id`).toEqual(
      codingsBefore,
    );
    // Nothing left to purge: a second run changes nothing.
    expect(await purgeTranscriptText(database.db, 90)).toBe(0);
    // A shorter period reaches today's transcripts too.
    expect(await purgeTranscriptText(database.db, 0, new Date(Date.now() + 1_000))).toBe(total - 2);
  });
});
