import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import type { MitiCode } from "./miti.ts";
import type { ClientCategory, InputType, ReflectionType, Speaker, TherapistCategory } from "./transcript.ts";

/*
 * Reads AnnoMI (../shared/data/annomi/train.csv, public domain) into labelled sessions. The
 * file is read at training and evaluation time only; nothing of its text is committed.
 */

export interface LabelledUtterance {
  readonly speaker: Speaker;
  readonly text: string;
  readonly therapist?: TherapistCategory;
  readonly reflection?: ReflectionType;
  readonly input?: InputType;
  readonly client?: ClientCategory;
  /** Every MITI code the utterance earns, where the source labels them (Evoke's written set). */
  readonly miti?: readonly MitiCode[];
}

export interface LabelledSession {
  readonly id: string;
  readonly quality: "high" | "low";
  /** The change goal as AnnoMI names it (e.g. "smoking cessation"; some sessions list two). */
  readonly topic: string;
  readonly source: "annomi" | "written";
  readonly utterances: readonly LabelledUtterance[];
}

const THERAPIST_LABELS: Record<string, TherapistCategory> = {
  question: "question",
  reflection: "reflection",
  therapist_input: "input",
  other: "other",
};

interface Row {
  readonly transcript_id: string;
  readonly mi_quality: string;
  readonly topic: string;
  readonly utterance_id: string;
  readonly interlocutor: string;
  readonly utterance_text: string;
  readonly main_therapist_behaviour: string;
  readonly client_talk_type: string;
  readonly reflection_subtype: string;
  readonly therapist_input_subtype: string;
}

export function parseAnnoMi(csv: string): LabelledSession[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Row[];
  const sessions = new Map<
    string,
    { quality: "high" | "low"; topic: string; utterances: (LabelledUtterance & { order: number })[] }
  >();
  for (const row of rows) {
    const session = sessions.get(row.transcript_id) ?? {
      quality: row.mi_quality === "low" ? ("low" as const) : ("high" as const),
      topic: row.topic.trim(),
      utterances: [],
    };
    sessions.set(row.transcript_id, session);
    const speaker: Speaker = row.interlocutor === "therapist" ? "therapist" : "client";
    const base = { speaker, text: row.utterance_text, order: Number(row.utterance_id) };
    if (speaker === "therapist") {
      const therapist = THERAPIST_LABELS[row.main_therapist_behaviour];
      if (therapist === undefined)
        throw new Error(`transcript ${row.transcript_id}: unknown behaviour ${row.main_therapist_behaviour}`);
      session.utterances.push({
        ...base,
        therapist,
        ...(row.reflection_subtype === "simple" || row.reflection_subtype === "complex"
          ? { reflection: row.reflection_subtype }
          : {}),
        ...(["information", "advice", "options", "negotiation"].includes(row.therapist_input_subtype)
          ? { input: row.therapist_input_subtype as InputType }
          : {}),
      });
    } else {
      const client = row.client_talk_type as ClientCategory;
      if (!["change", "sustain", "neutral"].includes(client))
        throw new Error(`transcript ${row.transcript_id}: unknown talk type ${client}`);
      session.utterances.push({ ...base, client });
    }
  }
  return [...sessions.entries()].map(([id, session]) => ({
    id,
    quality: session.quality,
    topic: session.topic,
    source: "annomi" as const,
    utterances: session.utterances
      .sort((a, b) => a.order - b.order)
      .map(({ order: _order, ...utterance }) => utterance),
  }));
}

export async function loadAnnoMi(path: string): Promise<LabelledSession[]> {
  return parseAnnoMi(await readFile(path, "utf8"));
}
