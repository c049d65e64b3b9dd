import { sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import type { ClientProgramme } from "./episodes.ts";
import { changeRetentionRollups } from "./retention-rollups.ts";

/*
 * The per-episode rollups (schema/outcomes.ts), rebuilt for the client-programme pairs a batch
 * touched, after episodes, sessions and session fidelity are up to date.
 */

/** The client-programme pairs the given sessions belong to, by any of their facts or codings. */
export async function pairsOfSessions(tx: Transaction, sessionIds: readonly string[]): Promise<ClientProgramme[]> {
  if (sessionIds.length === 0) return [];
  const ids = sql.param([...sessionIds]);
  const rows = await tx.execute<{ client_id: string; programme_id: string }>(sql`
    select client_id, programme_id from session_events where session_id = any(${ids}::text[])
    union
    select client_id, programme_id from session_codings
    where session_id = any(${ids}::text[]) and client_id is not null and programme_id is not null
    union
    select client_id, programme_id from session_fidelity
    where session_id = any(${ids}::text[]) and client_id is not null and programme_id is not null`);
  return rows.map((row) => ({ clientId: row.client_id, programmeId: row.programme_id }));
}

/** A window's readiness measurements `r` of one instrument and item, summed up. */
const READINESS_AGGREGATES = sql`
  count(*)::int as measurements,
  (array_agg(r.value order by r.measured_at, r.source, r.event_id))[1] as first_value,
  (array_agg(r.scale_min order by r.measured_at, r.source, r.event_id))[1] as first_min,
  (array_agg(r.scale_max order by r.measured_at, r.source, r.event_id))[1] as first_max,
  min(r.measured_at) as first_at,
  (array_agg(r.value order by r.measured_at desc, r.source desc, r.event_id desc))[1] as latest_value,
  (array_agg(r.scale_min order by r.measured_at desc, r.source desc, r.event_id desc))[1] as scale_min,
  (array_agg(r.scale_max order by r.measured_at desc, r.source desc, r.event_id desc))[1] as scale_max,
  max(r.measured_at) as latest_at`;

/**
 * The change from the first score, carried onto the latest score's scale, to the latest (in
 * real arithmetic, as stored in readiness_changes.change), of READINESS_AGGREGATES aliased `m`.
 */
const changeOf = (m: string) =>
  sql.raw(
    `${m}.latest_value - (${m}.scale_min + (${m}.first_value - ${m}.first_min) / (${m}.first_max - ${m}.first_min) * (${m}.scale_max - ${m}.scale_min))`,
  );

/**
 * Rebuilds client_outcomes and readiness_changes for the given pairs, and the retention rollups
 * with them (the old episodes' contributions taken away, the new ones' added).
 */
export async function rebuildOutcomes(tx: Transaction, pairs: readonly ClientProgramme[]): Promise<void> {
  if (pairs.length === 0) return;
  const clientIds = sql.param(pairs.map((pair) => pair.clientId));
  const programmeIds = sql.param(pairs.map((pair) => pair.programmeId));
  const touched = sql`unnest(${clientIds}::text[], ${programmeIds}::text[]) as touched(client_id, programme_id)`;
  const ofTouched = sql`(o.client_id, o.programme_id) in (select t.client_id, t.programme_id from unnest(
    ${clientIds}::text[], ${programmeIds}::text[]) as t(client_id, programme_id))`;
  await changeRetentionRollups(tx, ofTouched, -1);
  await tx.execute(sql`
    delete from client_outcomes o using ${touched}
    where o.client_id = touched.client_id and o.programme_id = touched.programme_id`);
  await tx.execute(sql`
    delete from readiness_changes r using ${touched}
    where r.client_id = touched.client_id and r.programme_id = touched.programme_id`);

  // Each episode's window: from its enrolment (or the beginning, for the first) to the next.
  const windows = sql`
    windows as (
      select e.*,
        lead(e.enrolled_at) over pair as next_enrolled_at,
        row_number() over pair = 1 as is_first
      from episodes e join (select distinct * from ${touched}) t using (client_id, programme_id)
      window pair as (partition by e.client_id, e.programme_id order by e.enrolled_at)
    )`;
  const inWindow = (time: ReturnType<typeof sql>) =>
    sql`(w.is_first or ${time} >= w.enrolled_at) and (w.next_enrolled_at is null or ${time} < w.next_enrolled_at)`;
  const sessionTime = sql`coalesce(s.occurred_at, s.scheduled_at, s.status_time)`;

  await tx.execute(sql`
    with ${windows}
    insert into client_outcomes (
      client_id, programme_id, enrolled_at, next_enrolled_at, referral_source, focus, tags, discharged_at,
      discharge_reason, therapist_id, sessions_attended, sessions_missed, sessions_cancelled, first_attended_at,
      last_attended_at, coded_sessions, technical_mean, relational_mean, percent_complex_reflections_mean,
      reflection_to_question_mean, enrolled_day, last_attended_day, discharged_day, next_enrolled_day,
      baseline_readiness)
    select
      w.client_id, w.programme_id, w.enrolled_at, w.next_enrolled_at, w.referral_source, w.focus, w.tags,
      w.discharged_at, w.discharge_reason, main.therapist_id,
      coalesce(attendance.attended, 0), coalesce(attendance.missed, 0), coalesce(attendance.cancelled, 0),
      attendance.first_attended_at, attendance.last_attended_at,
      coalesce(fidelity.coded, 0), fidelity.technical, fidelity.relational, fidelity.percent_complex_reflections,
      fidelity.reflection_to_question,
      date_part('epoch', w.enrolled_at) / 86400,
      date_part('epoch', attendance.last_attended_at - w.enrolled_at) / 86400,
      date_part('epoch', w.discharged_at - w.enrolled_at) / 86400,
      date_part('epoch', w.next_enrolled_at - w.enrolled_at) / 86400,
      -- The default baseline of the association analytics: the readiness ruler's first score on
      -- its latest scale, latest - change exactly as readiness_changes will hold them.
      ruler.latest_value - (${changeOf("ruler")})
    from windows w
    left join lateral (
      select
        count(*) filter (where s.status = 'attended')::int as attended,
        count(*) filter (where s.status = 'missed')::int as missed,
        count(*) filter (where s.status = 'cancelled')::int as cancelled,
        min(s.occurred_at) filter (where s.status = 'attended') as first_attended_at,
        max(s.occurred_at) filter (where s.status = 'attended') as last_attended_at
      from sessions s
      where s.client_id = w.client_id and s.programme_id = w.programme_id and ${inWindow(sessionTime)}
    ) attendance on true
    left join lateral (
      select s.therapist_id from sessions s
      where s.client_id = w.client_id and s.programme_id = w.programme_id and ${inWindow(sessionTime)}
        and s.status = 'attended' and s.therapist_id is not null
      group by s.therapist_id
      order by count(*) desc, max(s.occurred_at) desc, s.therapist_id
      limit 1
    ) main on true
    left join lateral (
      select
        count(*)::int as coded,
        avg(f.technical) as technical,
        avg(f.relational) as relational,
        avg(f.percent_complex_reflections) as percent_complex_reflections,
        avg(f.reflection_to_question) as reflection_to_question
      from session_fidelity f
      where f.client_id = w.client_id and f.programme_id = w.programme_id and ${inWindow(sql`f.session_time`)}
    ) fidelity on true
    left join lateral (
      select ${READINESS_AGGREGATES}
      from readiness_measurements r
      where r.client_id = w.client_id and r.programme_id = w.programme_id
        and r.instrument = 'readiness-ruler' and r.item = 'readiness' and ${inWindow(sql`r.measured_at`)}
    ) ruler on true`);

  await tx.execute(sql`
    with ${windows},
    measured as (
      select
        w.client_id, w.programme_id, w.enrolled_at, r.instrument, r.item, ${READINESS_AGGREGATES}
      from windows w
      join readiness_measurements r
        on r.client_id = w.client_id and r.programme_id = w.programme_id and ${inWindow(sql`r.measured_at`)}
      group by w.client_id, w.programme_id, w.enrolled_at, r.instrument, r.item
    )
    insert into readiness_changes (
      client_id, programme_id, enrolled_at, instrument, item, measurements, first_value, first_at, latest_value,
      latest_at, scale_min, scale_max, change, therapist_id, referral_source, focus, tags, coded_sessions,
      technical_mean, relational_mean)
    select
      m.client_id, m.programme_id, m.enrolled_at, m.instrument, m.item, m.measurements, m.first_value, m.first_at,
      m.latest_value, m.latest_at, m.scale_min, m.scale_max,
      ${changeOf("m")},
      o.therapist_id, o.referral_source, o.focus, o.tags, o.coded_sessions, o.technical_mean, o.relational_mean
    from measured m
    join client_outcomes o using (client_id, programme_id, enrolled_at)`);

  await changeRetentionRollups(tx, ofTouched, 1);
}
