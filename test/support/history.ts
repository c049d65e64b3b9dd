import type postgres from "postgres";

/*
 * The projected history as plain rows, in a stable order, without columns that record when a
 * row was written (not what happened): two databases that saw the same events, in any order
 * and with any duplicates, must give equal snapshots.
 */

const TABLES: Record<string, { readonly orderBy: string; readonly omit?: readonly string[] }> = {
  programmes: { orderBy: "programme_id", omit: ["first_seen_at"] },
  therapists: { orderBy: "therapist_id", omit: ["first_seen_at"] },
  clients: { orderBy: "client_id", omit: ["first_seen_at"] },
  enrolment_events: { orderBy: "source, event_id" },
  discharge_events: { orderBy: "source, event_id" },
  episodes: { orderBy: "client_id, programme_id, enrolled_at" },
  session_events: { orderBy: "source, event_id" },
  sessions: { orderBy: "session_id" },
  readiness_measurements: { orderBy: "source, event_id, item" },
  transcripts: { orderBy: "source, event_id", omit: ["stored_at"] },
  session_codings: { orderBy: "coding_id" },
  session_fidelity: { orderBy: "session_id" },
  client_outcomes: { orderBy: "client_id, programme_id, enrolled_at" },
  readiness_changes: { orderBy: "client_id, programme_id, enrolled_at, instrument, item" },
  fidelity_rollups: { orderBy: "period, programme_id, therapist_id, period_start, kind" },
  retention_rollups: {
    orderBy: "programme_id, referral_source, technical_level, relational_level, enrolled_month, ended",
  },
  retention_survival_rollups: { orderBy: "referral_source, technical_level, relational_level, days, event" },
};

export async function snapshot(sql: postgres.Sql): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [table, { orderBy, omit = [] }] of Object.entries(TABLES)) {
    const rows = await sql.unsafe(`select * from ${table} order by ${orderBy}`);
    result[table] = rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !omit.includes(column))),
    );
  }
  return result;
}

/**
 * Headline counts and sums of the history, to state in a failing test what went missing or
 * doubled (the snapshot says that rows differ; these say by how much).
 */
export async function totals(sql: postgres.Sql): Promise<Record<string, number>> {
  const [row] = await sql`
    select
      (select count(*) from processed_events)::int as processed_events,
      (select coalesce(sum(events), 0) from processed_event_minutes)::int as processed_event_minutes,
      (select count(*) from session_events)::int as session_events,
      (select count(*) from sessions where status = 'attended')::int as attended_sessions,
      (select coalesce(sum(event_count), 0) from sessions)::int as session_status_events,
      (select count(*) from episodes)::int as episodes,
      (select count(*) from episodes where discharged_at is not null)::int as discharged_episodes,
      (select count(*) from readiness_measurements)::int as readiness_measurements,
      (select coalesce(sum(value), 0) from readiness_measurements)::float8 as readiness_value_sum,
      (select count(*) from transcripts)::int as transcripts,
      (select count(*) from session_codings)::int as session_codings,
      (select count(*) from session_fidelity)::int as sessions_with_fidelity,
      (select coalesce(round(sum(technical)::numeric, 4), 0) from session_fidelity)::float8 as technical_sum,
      (select coalesce(round(sum(relational)::numeric, 4), 0) from session_fidelity)::float8 as relational_sum`;
  return row as Record<string, number>;
}
