import { type SQL, sql } from "drizzle-orm";
import type { Transaction } from "../client.ts";
import {
  EPISODE_END_DAY,
  episodeStatus,
  FIDELITY_LEVELS,
  RETENTION_ROLLUP_DEFINITIONS,
  RETENTION_STATISTIC_COLUMNS,
  retentionStatistics,
  SURVIVAL_DAYS,
  SURVIVAL_EVENT,
} from "../retention-episodes.ts";

/*
 * Keeps retention_rollups and retention_survival_rollups (schema/retention-rollups.ts) equal to
 * the sum of every client_outcomes row's contribution (retention-episodes.ts). The sink takes
 * away the contributions of the episodes it is about to rebuild and adds those of the rebuilt
 * ones, in the same transaction: every column is a whole number, so the result depends on the
 * set of episodes only, not on the order of the changes (unlike fidelity's float sums, which are
 * recomputed per key instead). Rows left with no episode are deleted.
 */

/** The UTC month (a date) of an episode's enrolment day, from client_outcomes rows aliased `o`. */
const ENROLLED_MONTH = sql`(date_trunc('month', to_timestamp(floor(o.enrolled_day) * 86400) at time zone 'UTC'))::date`;

const keyColumns = sql.raw("programme_id, referral_source, technical_level, relational_level, enrolled_month, ended");
const additions = sql.raw(
  RETENTION_STATISTIC_COLUMNS.map((column) => `${column} = retention_rollups.${column} + excluded.${column}`).join(
    ", ",
  ),
);

/** The client_outcomes rows (aliased `o`) matching `where`, with their rollup key columns. */
function keyedEpisodes(where: SQL): SQL {
  return sql`(select o.*, coalesce(o.referral_source, '') as referral_key, ${FIDELITY_LEVELS},
      ${ENROLLED_MONTH} as enrolled_month, ${EPISODE_END_DAY} is not null as ended
    from client_outcomes o where ${where})`;
}

/** Adds (sign 1) or takes away (-1) the milestone contributions of the episodes `where` selects. */
export async function changeMilestoneRollups(tx: Transaction, where: SQL, sign: 1 | -1): Promise<void> {
  await tx.execute(sql`
    with ${episodeStatus(keyedEpisodes(where), RETENTION_ROLLUP_DEFINITIONS, "long after")}
    insert into retention_rollups (${keyColumns}, ${sql.raw(RETENTION_STATISTIC_COLUMNS.join(", "))})
    select e.programme_id, e.referral_key, e.technical_level, e.relational_level, e.enrolled_month, e.ended,
      ${retentionStatistics(sign)}
    from episodes e
    group by e.programme_id, e.referral_key, e.technical_level, e.relational_level, e.enrolled_month, e.ended
    on conflict on constraint retention_rollups_pk do update set ${additions}`);
}

/** Adds (sign 1) or takes away (-1) the survival observations of the ended episodes `where` selects. */
export async function changeSurvivalRollups(tx: Transaction, where: SQL, sign: 1 | -1): Promise<void> {
  await tx.execute(sql`
    with ${episodeStatus(keyedEpisodes(where), RETENTION_ROLLUP_DEFINITIONS, "long after")}
    insert into retention_survival_rollups (referral_source, technical_level, relational_level, days, event, episodes)
    select e.referral_key, e.technical_level, e.relational_level, ${SURVIVAL_DAYS}, ${SURVIVAL_EVENT},
      (${sign}::int * count(*))::int
    from episodes e where e.ended
    group by 1, 2, 3, 4, 5
    on conflict on constraint retention_survival_rollups_pk
      do update set episodes = retention_survival_rollups.episodes + excluded.episodes`);
}

/** Deletes rollup rows left with no episode (through their partial indexes). */
export async function deleteEmptyRetentionRollups(tx: Transaction): Promise<void> {
  await tx.execute(sql`delete from retention_rollups where episodes = 0`);
  await tx.execute(sql`delete from retention_survival_rollups where episodes = 0`);
}

/**
 * Adds (sign 1) or takes away (-1) everything the client_outcomes rows (aliased `o`) that `where`
 * selects contribute to the retention rollups: call it with -1 before those rows change or go,
 * and with 1 after they are rebuilt.
 */
export async function changeRetentionRollups(tx: Transaction, where: SQL, sign: 1 | -1): Promise<void> {
  await changeMilestoneRollups(tx, where, sign);
  await changeSurvivalRollups(tx, where, sign);
  await deleteEmptyRetentionRollups(tx);
}
