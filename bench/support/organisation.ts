import {
  connectDatabase,
  dropDatabase,
  ensureDatabase,
  migrateDatabase,
  rebuildAllFidelityRollups,
  rebuildAllRetentionRollups,
} from "@evoke/db";

/*
 * The organisation the analytics and dashboard benchmarks measure: 50 programmes, 1,000
 * therapists (20 a programme), 200,000 clients (one episode each), 2,000,000 sessions and
 * 1,000,000 coded sessions (20,000 of them also rated by a human), generated inside PostgreSQL
 * (generate_series, seeded) straight into the tables the analytics read. Ids: programme `prg_<p>`
 * (1-50), therapist `thr_<t>` (1-1000), client `cli_<c>` (1-200000) in programme `prg_<c % 50 + 1>`,
 * session `ses_<c>_<k>` (k 0-9, k 0-4 coded). The per-utterance codes of the codings, transcripts
 * and processed events are left out (no analytic reads them).
 *
 * Loading takes minutes, so a loaded database can be kept and reused (`keep`); a marker table
 * written last says the load finished and which version of the generator made it, so a half-done
 * or outdated load is never reused.
 */

/** Bump when the statements below change what they generate. */
const ORGANISATION_VERSION = 4;

/** The organisation's statements, run in order on one connection (they share a temp table). */
export const ORGANISATION_LOAD: readonly string[] = [
  `select setseed(0.2026)`,
  `insert into programmes (programme_id, name) select 'prg_' || p, 'Programme ' || p from generate_series(1, 50) p`,
  // Therapist t works in programme (t - 1) % 50 + 1: the programme of the clients it is given below.
  `insert into therapists (therapist_id, programme_id, display_name)
     select 'thr_' || t, 'prg_' || ((t - 1) % 50 + 1), 'Therapist ' || t from generate_series(1, 1000) t`,
  `insert into clients (client_id) select 'cli_' || c from generate_series(1, 200000) c`,
  // One episode per client: programme c % 50, one of its 20 therapists, enrolled over 2024-2025.
  `create temp table bench_clients as
     select c, 'cli_' || c as client_id, 'prg_' || (c % 50 + 1) as programme_id,
       'thr_' || ((c % 50) + 1 + 50 * ((c / 50) % 20)) as therapist_id,
       timestamptz '2024-01-01' + (random() * 700) * interval '1 day' as enrolled_at,
       (array['gp', 'self', 'court'])[1 + floor(random() * 3)::int] as referral_source,
       (array['alcohol', 'opioids', 'smoking', 'diet'])[1 + floor(random() * 4)::int] as focus,
       random() as dropout_draw, random() as readiness_draw
     from generate_series(1, 200000) c`,
  // Ten weekly sessions each: 2,000,000; 70% attended, 20% missed, 10% cancelled.
  `insert into sessions (session_id, client_id, therapist_id, programme_id, status, status_time, scheduled_at,
                         occurred_at, duration_minutes, event_count)
     select 'ses_' || c.c || '_' || k, c.client_id, c.therapist_id, c.programme_id, s.status,
       c.enrolled_at + k * interval '7 days', c.enrolled_at + k * interval '7 days',
       case when s.status = 'attended' then c.enrolled_at + k * interval '7 days' end,
       case when s.status = 'attended' then 50 end, 2
     from bench_clients c cross join generate_series(0, 9) k
     cross join lateral (select case when r < 0.7 then 'attended' when r < 0.9 then 'missed' else 'cancelled' end
                         as status from (select random() + k * 0 as r) draw) s`,
  // Five coded sessions per client (1,000,000), scores drifting with the therapist.
  `insert into session_codings (coding_id, session_id, kind, model_version, coded_at, client_id, therapist_id,
       programme_id, session_time, thresholds, volleys, technical, relational, cultivating_change_talk,
       softening_sustain_talk, partnership, empathy, reflection_to_question, percent_complex_reflections,
       percent_change_talk, giving_information, persuade, persuade_with_permission, question, simple_reflection,
       complex_reflection, affirm, seeking_collaboration, emphasizing_autonomy, confront)
     select 'cod_' || c.c || '_' || k, 'ses_' || c.c || '_' || k, 'automatic', 'bench-model',
       c.enrolled_at + k * interval '7 days' + interval '1 hour', c.client_id, c.therapist_id, c.programme_id,
       c.enrolled_at + k * interval '7 days', 'manual', 30, g.t, g.r, g.t, g.t, g.r, g.r,
       round((0.5 + random() * 2)::numeric, 2), round((20 + random() * 50)::numeric, 1), 50,
       3, 0, 1, 10, 5, 5, 2, 1, 1, 0
     from bench_clients c cross join generate_series(0, 4) k
     cross join lateral (select least(5, greatest(1, round((2.5 + (c.c % 20) / 10.0 + random())::numeric, 1)))::real as t,
                                least(5, greatest(1, round((3 + (c.c % 20) / 12.0 + random())::numeric, 1)))::real as r
                         from (select k * 0) seed) g`,
  // A human rating for one in fifty coded sessions (20,000), close to the model's.
  `insert into session_codings (coding_id, session_id, kind, coder_id, coded_at, session_time, segment_minutes,
       technical, relational, cultivating_change_talk, softening_sustain_talk, partnership, empathy,
       reflection_to_question, percent_complex_reflections, giving_information, persuade, persuade_with_permission,
       question, simple_reflection, complex_reflection, affirm, seeking_collaboration, emphasizing_autonomy, confront)
     select 'human:' || a.coding_id, a.session_id, 'human', 'coder_' || (split_part(a.session_id, '_', 2)::int % 5 + 1),
       a.coded_at + interval '2 days', a.session_time, 20, h.t, h.r, h.t, h.t, h.r, h.r,
       a.reflection_to_question, a.percent_complex_reflections, 1, 0, 0, 6, 3, 3, 1, 1, 0, 0
     from session_codings a
     cross join lateral (select least(5, greatest(1, round((a.technical + random() - 0.5)::numeric, 1)))::real as t,
                                least(5, greatest(1, round((a.relational + random() - 0.5)::numeric, 1)))::real as r) h
     where a.kind = 'automatic' and split_part(a.session_id, '_', 3) = '0'
       and split_part(a.session_id, '_', 2)::int % 10 = 0`,
  `insert into session_fidelity (session_id, coding_id, kind, client_id, therapist_id, programme_id, session_time,
       duration_minutes, technical, relational, cultivating_change_talk, softening_sustain_talk, partnership, empathy,
       reflection_to_question, percent_complex_reflections, percent_change_talk, giving_information, persuade,
       persuade_with_permission, question, simple_reflection, complex_reflection, affirm, seeking_collaboration,
       emphasizing_autonomy, confront)
     select distinct on (c.session_id) c.session_id, c.coding_id, c.kind, a.client_id, a.therapist_id, a.programme_id,
       c.session_time, 50, c.technical, c.relational, c.cultivating_change_talk, c.softening_sustain_talk, c.partnership,
       c.empathy, c.reflection_to_question, c.percent_complex_reflections, c.percent_change_talk,
       c.giving_information, c.persuade, c.persuade_with_permission, c.question, c.simple_reflection,
       c.complex_reflection, c.affirm, c.seeking_collaboration, c.emphasizing_autonomy, c.confront
     from session_codings c join session_codings a on a.session_id = c.session_id and a.kind = 'automatic'
     order by c.session_id, (c.kind = 'human') desc`,
  // Discharges: a third drop out (sooner with lower fidelity), a third complete, a third are still in care.
  `insert into episodes (client_id, programme_id, enrolled_at, referral_source, focus, tags, discharged_at, discharge_reason)
     select client_id, programme_id, enrolled_at, referral_source, focus, array['cohort-' || (c % 4)],
       case when dropout_draw < 0.66 then enrolled_at + (10 + dropout_draw * 200) * interval '1 day' end,
       case when dropout_draw < 0.33 then 'dropped_out' when dropout_draw < 0.66 then 'completed' end
     from bench_clients`,
  `insert into client_outcomes (client_id, programme_id, enrolled_at, referral_source, focus, tags, discharged_at,
       discharge_reason, therapist_id, sessions_attended, sessions_missed, sessions_cancelled, first_attended_at,
       last_attended_at, coded_sessions, technical_mean, relational_mean, percent_complex_reflections_mean,
       reflection_to_question_mean, enrolled_day, last_attended_day, discharged_day)
     select e.client_id, e.programme_id, e.enrolled_at, e.referral_source, e.focus, e.tags, e.discharged_at,
       e.discharge_reason, c.therapist_id, s.attended, s.missed, s.cancelled, s.first_attended, s.last_attended,
       f.coded, f.technical, f.relational, f.pcr, f.rq, date_part('epoch', e.enrolled_at) / 86400,
       date_part('epoch', s.last_attended - e.enrolled_at) / 86400,
       date_part('epoch', e.discharged_at - e.enrolled_at) / 86400
     from episodes e join bench_clients c using (client_id)
     join (select client_id, count(*) filter (where status = 'attended')::int as attended,
             count(*) filter (where status = 'missed')::int as missed,
             count(*) filter (where status = 'cancelled')::int as cancelled,
             min(occurred_at) as first_attended, max(occurred_at) as last_attended
           from sessions group by client_id) s using (client_id)
     join (select client_id, count(*)::int as coded, avg(technical) as technical, avg(relational) as relational,
             avg(percent_complex_reflections) as pcr, avg(reflection_to_question) as rq
           from session_fidelity group by client_id) f using (client_id)`,
  // Readiness rulers at intake and ten weeks on: 600,000 item changes, better with fidelity.
  `insert into readiness_changes (client_id, programme_id, enrolled_at, instrument, item, measurements, first_value,
       first_at, latest_value, latest_at, scale_min, scale_max, change, therapist_id, referral_source, focus, tags,
       coded_sessions, technical_mean, relational_mean)
     select o.client_id, o.programme_id, o.enrolled_at, 'readiness-ruler', item, 2, v.first, o.enrolled_at,
       v.latest, o.enrolled_at + interval '70 days', 0, 10, v.latest - v.first, o.therapist_id, o.referral_source,
       o.focus, o.tags, o.coded_sessions, o.technical_mean, o.relational_mean
     from client_outcomes o cross join unnest(array['importance', 'confidence', 'readiness']) item
     cross join lateral (select floor(random() * 8)::real as first) f
     cross join lateral (select f.first, least(10, greatest(0, f.first + round(o.technical_mean - 3 + random() * 3)))::real
                         as latest) v`,
  `update client_outcomes o set baseline_readiness = r.first_value from readiness_changes r
     where r.client_id = o.client_id and r.programme_id = o.programme_id and r.enrolled_at = o.enrolled_at
       and r.item = 'readiness'`,
];

/** After the facts and their rollups (rebuilt as `pnpm mi rollups rebuild` does): marks the load complete. */
const ORGANISATION_DONE: readonly string[] = [
  `vacuum analyze`,
  // Last: marks the load complete, and which version of this generator made it.
  `create table bench_organisation (version int not null)`,
  `insert into bench_organisation (version) values (${ORGANISATION_VERSION})`,
];

export interface OrganisationCounts {
  readonly sessions: number;
  readonly coded: number;
  readonly human: number;
  readonly clients: number;
  readonly readiness: number;
}

export interface LoadedOrganisation {
  readonly counts: OrganisationCounts;
  /** False when a kept database was reused. */
  readonly loaded: boolean;
  readonly seconds: number;
}

async function loadedVersion(url: string): Promise<number | null> {
  const { sql, close } = connectDatabase(url, { max: 1, applicationName: "bench-organisation" });
  try {
    const [marker] = await sql`select to_regclass('bench_organisation') is not null as present`;
    if (!marker?.present) return null;
    const [row] = await sql<{ version: number | null }[]>`select max(version)::int as version from bench_organisation`;
    return row?.version ?? null;
  } finally {
    await close();
  }
}

/**
 * Makes `url` hold the organisation: with `keep`, a complete load by this generator is reused
 * (after applying any new migration); otherwise the database is dropped, created, migrated and
 * loaded. Returns the row counts.
 */
export async function loadOrganisation(url: string, options: { readonly keep: boolean }): Promise<LoadedOrganisation> {
  const started = performance.now();
  if (!options.keep) await dropDatabase(url);
  await ensureDatabase(url);
  await migrateDatabase(url);
  const reuse = options.keep && (await loadedVersion(url)) === ORGANISATION_VERSION;
  if (options.keep && !reuse) {
    // Kept, but half-loaded or by an older generator: start again.
    await dropDatabase(url);
    await ensureDatabase(url);
    await migrateDatabase(url);
  }
  const { db, sql, close } = connectDatabase(url, { max: 1, applicationName: "bench-organisation" });
  try {
    if (!reuse) {
      for (const statement of ORGANISATION_LOAD) await sql.unsafe(statement);
      // The facts went in straight, past the sink: build the rollups it would have kept (with
      // the planner's statistics of the new facts first, and the visibility map autovacuum would
      // have set on a live database, which index-only scans such as retention's episodes still in
      // care rely on).
      await sql.unsafe("vacuum analyze");
      const rollups = await rebuildAllFidelityRollups(db);
      console.log(`rebuilt ${rollups.rows.toLocaleString("en")} fidelity rollup rows`);
      const retention = await rebuildAllRetentionRollups(db);
      console.log(`rebuilt ${retention.rows.toLocaleString("en")} retention rollup rows`);
      for (const statement of ORGANISATION_DONE) await sql.unsafe(statement);
    }
    const [counts] = await sql<OrganisationCounts[]>`
      select (select count(*) from sessions)::int as sessions, (select count(*) from session_fidelity)::int as coded,
        (select count(*) from session_codings where kind = 'human')::int as human,
        (select count(*) from client_outcomes)::int as clients,
        (select count(*) from readiness_changes)::int as readiness`;
    if (counts === undefined) throw new Error("the count query returned no row");
    return {
      counts,
      loaded: !reuse,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await close();
  }
}

/** One line for the bench output: what the database holds and how long it took. */
export function describeOrganisation({ counts, loaded, seconds }: LoadedOrganisation): string {
  const n = (value: number) => value.toLocaleString("en");
  return (
    `${loaded ? "loaded" : "reused"} ${n(counts.sessions)} sessions, ${n(counts.coded)} coded ` +
    `(${n(counts.human)} human-rated), ${n(counts.clients)} clients, ${n(counts.readiness)} readiness changes ` +
    `in ${seconds.toFixed(0)} s`
  );
}
