import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { LabelledSession, LabelledUtterance } from "./annomi.ts";
import { MITI_CODES } from "./miti.ts";
import { CLIENT_CATEGORIES, INPUT_TYPES, REFLECTION_TYPES, THERAPIST_CATEGORIES } from "./transcript.ts";

/*
 * Evoke's own labelled MI set (data/written/, CC0, see its GUIDE.md): utterances in context for
 * what AnnoMI does not label (Confront, Persuade with and without permission, Affirm, Seek,
 * Emphasize Autonomy, sustain talk across target behaviours), a held-out part written
 * separately and never trained on, and whole sessions for session checks.
 */

export const WRITTEN_DIR = fileURLToPath(new URL("../data/written", import.meta.url));

export const BEHAVIOURS = ["alcohol", "smoking", "drugs", "diet", "exercise", "medication", "gambling"] as const;

const turn = z.object({ speaker: z.enum(["therapist", "client"]), text: z.string().trim().min(1) });

const therapistItem = z
  .object({
    id: z.string().min(1),
    behaviour: z.enum(BEHAVIOURS),
    before: z.array(turn).min(1).max(3),
    after: z.array(turn).length(1),
    speaker: z.literal("therapist"),
    text: z.string().trim().min(1),
    form: z.enum(THERAPIST_CATEGORIES),
    reflection: z.enum(REFLECTION_TYPES).optional(),
    input: z.enum(INPUT_TYPES).optional(),
    miti: z.array(z.enum(MITI_CODES)),
  })
  .refine((item) => (item.form === "reflection") === (item.reflection !== undefined), {
    message: "reflection (simple|complex) is given exactly when form is reflection",
    path: ["reflection"],
  })
  .refine((item) => (item.form === "input") === (item.input !== undefined), {
    message: "input (information|advice|options|negotiation) is given exactly when form is input",
    path: ["input"],
  });

const clientItem = z.object({
  id: z.string().min(1),
  behaviour: z.enum(BEHAVIOURS),
  before: z.array(turn).min(1).max(3),
  after: z.array(turn).length(1),
  speaker: z.literal("client"),
  text: z.string().trim().min(1),
  talk: z.enum(CLIENT_CATEGORIES),
  subtype: z
    .enum(["desire", "ability", "reasons", "need", "commitment", "activation", "taking-steps", "other"])
    .optional(),
});

const item = z.discriminatedUnion("speaker", [therapistItem, clientItem]);
export type WrittenItem = z.infer<typeof item>;

const sessionUtterance = z.union([
  z.object({
    speaker: z.literal("therapist"),
    text: z.string().trim().min(1),
    form: z.enum(THERAPIST_CATEGORIES),
    reflection: z.enum(REFLECTION_TYPES).optional(),
    input: z.enum(INPUT_TYPES).optional(),
    miti: z.array(z.enum(MITI_CODES)),
  }),
  z.object({ speaker: z.literal("client"), text: z.string().trim().min(1), talk: z.enum(CLIENT_CATEGORIES) }),
]);

const verdictExpectation = z.enum(["below-fair", "fair-or-better"]);
const writtenSession = z.object({
  id: z.string().min(1),
  behaviour: z.enum(BEHAVIOURS),
  kind: z.enum(["mi-consistent", "non-adherent"]),
  pattern: z.string(),
  expected: z.object({ technical: verdictExpectation, relational: verdictExpectation }),
  utterances: z.array(sessionUtterance).min(10),
});
export type WrittenSession = z.infer<typeof writtenSession>;

/** Parses a JSON Lines file of items, naming the line and field of the first problem. */
export function parseWrittenItems(text: string, file: string): WrittenItem[] {
  return text
    .split("\n")
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== "")
    .map(({ line, number }) => {
      const parsed = item.safeParse(JSON.parse(line));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${file}:${number}: ${issue?.path.join(".") || "item"} ${issue?.message ?? "is invalid"}`);
      }
      return parsed.data;
    });
}

function labelsOf(written: WrittenItem | z.infer<typeof sessionUtterance>): LabelledUtterance {
  if (written.speaker === "client") return { speaker: "client", text: written.text, client: written.talk };
  return {
    speaker: "therapist",
    text: written.text,
    therapist: written.form,
    ...(written.reflection === undefined ? {} : { reflection: written.reflection }),
    ...(written.input === undefined ? {} : { input: written.input }),
    miti: written.miti,
  };
}

/**
 * An item as a short labelled session: its context turns unlabelled, the item labelled, so the
 * coder sees it exactly as it sees an utterance of a real transcript.
 */
export function itemAsSession(written: WrittenItem): LabelledSession {
  return {
    id: `written:${written.id}`,
    // Written items carry no session quality; "high" keeps them out of nothing (globals are
    // fitted on AnnoMI sessions only).
    quality: "high",
    topic: written.behaviour,
    source: "written",
    utterances: [...written.before, labelsOf(written), ...written.after],
  };
}

export function sessionAsLabelled(session: WrittenSession): LabelledSession {
  return {
    id: `written:${session.id}`,
    quality: session.kind === "mi-consistent" ? "high" : "low",
    topic: session.behaviour,
    source: "written",
    utterances: session.utterances.map(labelsOf),
  };
}

async function itemsIn(path: string): Promise<WrittenItem[]> {
  return parseWrittenItems(await readFile(path, "utf8"), path);
}

/** The training part: every `*.jsonl` directly in the folder (holdout/ and sessions/ excluded). */
export async function loadWrittenTraining(dir: string = WRITTEN_DIR): Promise<WrittenItem[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();
  return (await Promise.all(files.map((name) => itemsIn(join(dir, name))))).flat();
}

/** The held-out part, written separately and never trained on. */
export async function loadWrittenHoldout(dir: string = WRITTEN_DIR): Promise<WrittenItem[]> {
  const folder = join(dir, "holdout");
  const files = (await readdir(folder)).filter((name) => name.endsWith(".jsonl")).sort();
  return (await Promise.all(files.map((name) => itemsIn(join(folder, name))))).flat();
}

/** Whole sessions for session checks, never trained on. */
export async function loadWrittenSessions(dir: string = WRITTEN_DIR): Promise<WrittenSession[]> {
  const folder = join(dir, "sessions");
  const files = (await readdir(folder)).filter((name) => name.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (name) => {
      const parsed = writtenSession.safeParse(JSON.parse(await readFile(join(folder, name), "utf8")));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${name}: ${issue?.path.join(".") || "session"} ${issue?.message ?? "is invalid"}`);
      }
      return parsed.data;
    }),
  );
}
