import { type Database, expandUtteranceCodes, schema, type UtteranceCode } from "@evoke/db";
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { isoTime, rows } from "./estimates.ts";
import type { FidelitySource } from "./fidelity-statistics.ts";

/*
 * What the dashboard lists and drills into: programmes, therapists, one session with all its
 * codings, and the annotations pinned to the charts. Every list takes the programmes a reader
 * may see (null: all), so scoping is applied in SQL, not after the fact.
 */

export interface ProgrammeEntry {
  readonly programmeId: string;
  readonly name: string | null;
  readonly therapists: number;
  readonly episodes: number;
  readonly sessionsCoded: number;
  /** Of the sessions coded, how many count a human rating (the rest an automatic coding). */
  readonly humanRated: number;
}

/** The programmes, by id, with their size (sessions coded from the rollups by default, or the facts). */
export async function programmeDirectory(
  db: Database,
  programmeIds: readonly string[] | null,
  options: { readonly source?: FidelitySource } = {},
): Promise<ProgrammeEntry[]> {
  const scope = programmeIds === null ? sql`true` : inArray(sql`p.programme_id`, [...programmeIds]);
  const coded =
    options.source === "facts"
      ? sql`(select programme_id, count(*) as coded, count(*) filter (where kind = 'human') as human
             from session_fidelity group by programme_id)`
      : sql`(select programme_id, sum(sessions) as coded, sum(sessions) filter (where kind = 'human') as human
             from fidelity_rollups where period = 'month' group by programme_id)`;
  return rows<ProgrammeEntry>(
    db,
    sql`select p.programme_id as "programmeId", p.name,
        (select count(*) from therapists t where t.programme_id = p.programme_id)::int as therapists,
        (select count(*) from client_outcomes o where o.programme_id = p.programme_id)::int as episodes,
        coalesce(f.coded, 0)::int as "sessionsCoded", coalesce(f.human, 0)::int as "humanRated"
      from ${schema.programmes} p
      left join ${coded} f on f.programme_id = p.programme_id
      where ${scope}
      order by p.programme_id`,
  );
}

export interface ProgrammeName {
  readonly programmeId: string;
  readonly name: string | null;
}

/** Just the programmes' ids and names (cheap: for menus and labels). */
export async function programmeNames(db: Database, programmeIds: readonly string[] | null): Promise<ProgrammeName[]> {
  const { programmes } = schema;
  return db
    .select({ programmeId: programmes.programmeId, name: programmes.name })
    .from(programmes)
    .where(programmeIds === null ? undefined : inArray(programmes.programmeId, [...programmeIds]))
    .orderBy(asc(programmes.programmeId));
}

export interface TherapistEntry {
  readonly therapistId: string;
  readonly name: string | null;
  readonly programmeId: string | null;
}

/** Therapists registered with (or seen in) the programmes. */
export async function therapistDirectory(
  db: Database,
  programmeIds: readonly string[] | null,
): Promise<TherapistEntry[]> {
  const therapists = schema.therapists;
  return db
    .select({ therapistId: therapists.therapistId, name: therapists.displayName, programmeId: therapists.programmeId })
    .from(therapists)
    .where(programmeIds === null ? undefined : inArray(therapists.programmeId, [...programmeIds]))
    .orderBy(asc(therapists.therapistId));
}

type Scores = Omit<
  typeof schema.sessionCodings.$inferSelect,
  | "codingId"
  | "sessionId"
  | "kind"
  | "modelVersion"
  | "coderId"
  | "codedAt"
  | "clientId"
  | "therapistId"
  | "programmeId"
  | "sessionTime"
  | "thresholds"
  | "volleys"
  | "segmentMinutes"
  | "utteranceCodes"
>;

export interface SessionCodingDetail {
  readonly codingId: string;
  readonly kind: "automatic" | "human";
  readonly modelVersion: string | null;
  readonly coderId: string | null;
  readonly codedAt: string;
  readonly volleys: number | null;
  readonly segmentMinutes: number | null;
  /** Whether this is the coding that counts for the session (see session_fidelity). */
  readonly counts: boolean;
  readonly scores: Scores;
  /** Automatic codings: each utterance's code, in transcript order. */
  readonly utterances: readonly UtteranceCode[] | null;
}

export interface SessionDetail {
  readonly sessionId: string;
  readonly clientId: string | null;
  readonly therapistId: string | null;
  readonly therapistName: string | null;
  readonly programmeId: string | null;
  readonly status: string | null;
  readonly sessionTime: string | null;
  readonly durationMinutes: number | null;
  readonly codings: readonly SessionCodingDetail[];
  /** The latest transcript's text, unless purged (kept TRANSCRIPT_RETENTION_DAYS) or not asked for. */
  readonly transcript: {
    readonly utteranceCount: number;
    readonly submittedAt: string;
    readonly textPurgedAt: string | null;
    readonly utterances: readonly { readonly speaker: "therapist" | "client"; readonly text: string }[] | null;
  } | null;
}

/**
 * One session with every coding (latest first) and its transcript; null if Evoke has never heard
 * of it. `withText: false` leaves the utterances' text out (for readers not allowed to see it).
 */
export async function sessionDetail(
  db: Database,
  sessionId: string,
  options: { readonly withText: boolean },
): Promise<SessionDetail | null> {
  const { sessions, sessionCodings, sessionFidelity, transcripts, therapists } = schema;
  const [session, fidelity, codings, transcript] = await Promise.all([
    db.select().from(sessions).where(eq(sessions.sessionId, sessionId)).limit(1),
    db.select().from(sessionFidelity).where(eq(sessionFidelity.sessionId, sessionId)).limit(1),
    db
      .select()
      .from(sessionCodings)
      .where(eq(sessionCodings.sessionId, sessionId))
      .orderBy(desc(sessionCodings.codedAt)),
    db
      .select({
        utteranceCount: transcripts.utteranceCount,
        submittedAt: transcripts.submittedAt,
        textPurgedAt: transcripts.textPurgedAt,
        utterances: options.withText ? transcripts.utterances : sql<null>`null`,
        programmeId: transcripts.programmeId,
        therapistId: transcripts.therapistId,
        clientId: transcripts.clientId,
      })
      .from(transcripts)
      .where(eq(transcripts.sessionId, sessionId))
      .orderBy(desc(transcripts.submittedAt))
      .limit(1),
  ]);
  const row = session[0];
  const counting = fidelity[0];
  const text = transcript[0];
  if (row === undefined && counting === undefined && codings.length === 0 && text === undefined) return null;
  const therapistId = row?.therapistId ?? counting?.therapistId ?? text?.therapistId ?? null;
  const [therapist] =
    therapistId === null
      ? []
      : await db
          .select({ name: therapists.displayName })
          .from(therapists)
          .where(eq(therapists.therapistId, therapistId));
  return {
    sessionId,
    clientId: row?.clientId ?? counting?.clientId ?? text?.clientId ?? null,
    therapistId,
    therapistName: therapist?.name ?? null,
    programmeId: row?.programmeId ?? counting?.programmeId ?? text?.programmeId ?? null,
    status: row?.status ?? null,
    sessionTime: isoTime(row?.occurredAt ?? row?.scheduledAt ?? counting?.sessionTime ?? null),
    durationMinutes: row?.durationMinutes ?? null,
    codings: codings.map((coding) => {
      const {
        codingId,
        kind,
        modelVersion,
        coderId,
        codedAt,
        volleys,
        segmentMinutes,
        utteranceCodes,
        sessionId: _session,
        clientId: _client,
        therapistId: _therapist,
        programmeId: _programme,
        sessionTime: _time,
        thresholds: _thresholds,
        ...scores
      } = coding;
      return {
        codingId,
        kind,
        modelVersion,
        coderId,
        codedAt: isoTime(codedAt) as string,
        volleys,
        segmentMinutes,
        counts: counting?.codingId === codingId,
        scores,
        utterances: utteranceCodes === null ? null : expandUtteranceCodes(utteranceCodes),
      };
    }),
    transcript:
      text === undefined
        ? null
        : {
            utteranceCount: text.utteranceCount,
            submittedAt: isoTime(text.submittedAt) as string,
            textPurgedAt: isoTime(text.textPurgedAt),
            utterances:
              text.utterances === null
                ? null
                : text.utterances.map((utterance) => ({ speaker: utterance.speaker, text: utterance.text })),
          },
  };
}

export interface Annotation {
  readonly annotationId: string;
  readonly programmeId: string | null;
  /** YYYY-MM-DD. */
  readonly day: string;
  readonly label: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface AnnotationQuery {
  /** The programmes' annotations and the organisation-wide ones; null: every one. */
  readonly programmeIds: readonly string[] | null;
  readonly from?: Date;
  readonly before?: Date;
}

export async function annotationsFor(db: Database, query: AnnotationQuery): Promise<Annotation[]> {
  const { annotations } = schema;
  const conditions: (SQL | undefined)[] = [
    query.programmeIds === null
      ? undefined
      : or(sql`${annotations.programmeId} is null`, inArray(annotations.programmeId, [...query.programmeIds])),
    query.from === undefined ? undefined : gte(annotations.day, query.from),
    query.before === undefined ? undefined : lt(annotations.day, query.before),
  ];
  const found = await db
    .select()
    .from(annotations)
    .where(and(...conditions))
    .orderBy(asc(annotations.day), asc(annotations.createdAt));
  return found.map((row) => ({
    annotationId: row.annotationId,
    programmeId: row.programmeId,
    day: (isoTime(row.day) as string).slice(0, 10),
    label: row.label,
    createdBy: row.createdBy,
    createdAt: isoTime(row.createdAt) as string,
  }));
}
