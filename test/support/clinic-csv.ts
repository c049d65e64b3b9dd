import type { EvokeEvent } from "@evoke/events";
import type { ImportKind } from "@evoke/import";

/*
 * A clinic's intake events written out as the CSV files a clinic would export, one per kind
 * (docs/import.md): the same facts, in the other way in. Directory events (programmes,
 * therapists) have no CSV kind and are left to the caller.
 */

function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function file(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return [columns.join(","), ...rows.map((row) => columns.map((column) => cell(row[column])).join(","))].join("\r\n");
}

type Data = Record<string, unknown>;

export function clinicAsCsv(events: readonly EvokeEvent[]): Partial<Record<ImportKind, string>> {
  const enrolments: Record<string, unknown>[] = [];
  const sessions: Record<string, unknown>[] = [];
  const readiness: Record<string, unknown>[] = [];
  const ratings: Record<string, unknown>[] = [];
  for (const event of events) {
    const data = event.data as Data;
    switch (event.type) {
      case "evoke.client.enrolled":
        enrolments.push({
          client_id: data.clientId,
          programme_id: data.programmeId,
          enrolled_at: data.enrolledAt,
          referral_source: data.referralSource,
          focus: data.focus,
          tags: (data.tags as string[] | undefined)?.join("|"),
        });
        break;
      case "evoke.client.discharged": {
        const episode = enrolments.find(
          (row) => row.client_id === data.clientId && row.programme_id === data.programmeId,
        );
        if (episode === undefined) throw new Error(`a discharge of ${String(data.clientId)} before its enrolment`);
        Object.assign(episode, { discharged_at: data.dischargedAt, discharge_reason: data.reason });
        break;
      }
      case "evoke.session.scheduled":
      case "evoke.session.attended":
      case "evoke.session.missed":
      case "evoke.session.cancelled":
        sessions.push({
          session_id: data.sessionId,
          client_id: data.clientId,
          programme_id: data.programmeId,
          therapist_id: data.therapistId,
          status: event.type.split(".")[2],
          scheduled_at: data.scheduledAt,
          occurred_at: data.occurredAt,
          duration_minutes: data.durationMinutes,
          cancelled_by: data.cancelledBy,
          cancelled_at: data.cancelledAt,
        });
        break;
      case "evoke.readiness.measured": {
        const scores = data.scores as Record<string, { value: number; min: number; max: number }>;
        const row: Record<string, unknown> = {
          client_id: data.clientId,
          programme_id: data.programmeId,
          measured_at: data.measuredAt,
          instrument: data.instrument,
          session_id: data.sessionId,
        };
        for (const [item, score] of Object.entries(scores)) {
          row[item.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = score.value;
        }
        readiness.push(row);
        break;
      }
      case "evoke.fidelity.rated": {
        const globals = data.globals as Record<string, number>;
        const counts = data.counts as Record<string, number>;
        const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
        ratings.push({
          session_id: data.sessionId,
          coder_id: data.coderId,
          // The CSV needs a rating time; the CloudEvent's own time is when it was rated.
          rated_at: data.ratedAt ?? event.time,
          client_id: event.subject,
          segment_minutes: data.segmentMinutes,
          ...Object.fromEntries(Object.entries(globals).map(([name, value]) => [snake(name), value])),
          ...Object.fromEntries(Object.entries(counts).map(([name, value]) => [snake(name), value])),
        });
        break;
      }
      default:
        break;
    }
  }
  const columnsOf = (rows: readonly Record<string, unknown>[]) => [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return {
    enrolments: file(
      [
        "client_id",
        "programme_id",
        "enrolled_at",
        "referral_source",
        "focus",
        "tags",
        "discharged_at",
        "discharge_reason",
      ],
      enrolments,
    ),
    sessions: file(columnsOf(sessions), sessions),
    readiness: file(columnsOf(readiness), readiness),
    ratings: file(columnsOf(ratings), ratings),
  };
}
