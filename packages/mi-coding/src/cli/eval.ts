import { loadCorpora } from "../corpora.ts";
import {
  type EvaluationReport,
  groupedCv,
  type HoldoutReport,
  holdoutReport,
  leaveOneTopicOut,
  type SessionCheck,
  type SplitReport,
  sessionChecks,
} from "../evaluate.ts";
import type { CoderModel } from "../model.ts";
import { trainCoder } from "../train.ts";

const format = (value: number) => (Number.isNaN(value) ? "n/a" : value.toFixed(3));
const percent = (value: number) => (Number.isNaN(value) ? "n/a" : `${(100 * value).toFixed(1)}%`);

export const EVALUATION_PARTS = ["cv", "topics", "holdout"] as const;
export type EvaluationPart = (typeof EVALUATION_PARTS)[number];

function splitLines(title: string, report: SplitReport): string[] {
  const perClass = (scores: SplitReport["therapist"]) =>
    scores.perClass.map(
      (s) =>
        `    ${s.label.padEnd(11)} F1 ${format(s.f1)}  precision ${format(s.precision)}  recall ${format(s.recall)}  n=${s.support}`,
    );
  return [
    title,
    `  therapist behaviour, 4-class macro-F1   ${format(report.therapist.macroF1)}   (target ≥ 0.78; BoW LR ≈ 0.72, transformers ≈ 0.83, experts ≈ 0.85)`,
    ...perClass(report.therapist),
    `  client talk, 3-class macro-F1           ${format(report.client.macroF1)}   (target ≥ 0.56, sustain F1 ≥ 0.40; BoW LR ≈ 0.50, transformers ≈ 0.66, experts ≈ 0.72)`,
    ...perClass(report.client),
    `  reflection subtype accuracy (simple/complex)          ${format(report.reflectionSubtypeAccuracy)}   (target ≥ 0.70)`,
    `  AUC, mean estimated global vs expert high/low quality ${format(report.qualityAuc)}   (target ≥ 0.90)`,
    `  ICC(2,1) session R:Q, coder vs experts                ${format(report.iccReflectionToQuestion)}`,
    `  ICC(2,1) session %CR, coder vs experts                ${format(report.iccPercentComplex)}`,
  ];
}

function holdoutLines(report: HoldoutReport): string[] {
  return [
    `Evoke's written hold-out set (never trained on): ${report.therapistItems} clinician utterances`,
    "  code                     n   precision  recall",
    ...report.perCode.map(
      (s) =>
        `  ${s.code.padEnd(22)} ${String(s.support).padStart(4)}   ${format(s.precision)}      ${format(s.recall)}`,
    ),
    `  Confront + Persuade recall (either code)              ${percent(report.nonAdherentRecall)}   (target ≥ 85%)`,
    `  MI-adherent utterances coded non-adherent             ${percent(report.adherentCodedNonAdherent)}   (target ≤ 5%)`,
    `  any utterance without Confront/Persuade coded so      ${percent(report.otherCodedNonAdherent)}`,
    `  client talk, 3-class macro-F1                         ${format(report.client.macroF1)}`,
    ...report.client.perClass.map(
      (s) =>
        `    ${s.label.padEnd(11)} F1 ${format(s.f1)}  precision ${format(s.precision)}  recall ${format(s.recall)}  n=${s.support}`,
    ),
  ];
}

function sessionLines(checks: readonly SessionCheck[]): string[] {
  return [
    "Session checks (written sessions, never trained on; manual thresholds: Technical fair 3.0, Relational fair 3.5)",
    ...checks.map(
      (c) =>
        `  ${c.passed ? "pass" : "FAIL"}  ${c.id.padEnd(18)} Technical ${c.technical.toFixed(2)}  Relational ${c.relational.toFixed(2)}  %CR ${c.percentComplexReflections ?? "–"}  R:Q ${c.reflectionToQuestion ?? "–"}  non-adherent ${c.totalMiNonAdherent}  (expected ${c.expected.technical} / ${c.expected.relational})`,
    ),
  ];
}

/**
 * `pnpm mi eval [--data <AnnoMI csv>] [--only cv|topics|holdout] [--json]`: grouped CV, leave
 * one topic out, the written hold-out set and session checks (see evaluate.ts). About 40
 * minutes on two cores for all of it.
 */
export async function evaluateCommand(options: { data: string; json: boolean; only?: EvaluationPart }): Promise<void> {
  const began = performance.now();
  const step = (message: string) => console.error(`[${((performance.now() - began) / 1000).toFixed(0)} s] ${message}…`);
  const corpora = await loadCorpora({ annomiPath: options.data, encoder: "e5-small-v2-q", onProgress: step });
  const wants = (part: EvaluationPart) => options.only === undefined || options.only === part;
  const result: Partial<EvaluationReport> = {};
  if (wants("cv")) Object.assign(result, { groupedCv: groupedCv(corpora, step) });
  if (wants("topics")) Object.assign(result, { leaveOneTopicOut: leaveOneTopicOut(corpora, step) });
  if (wants("holdout")) {
    step("all training data, for the hold-out set and session checks");
    const model: CoderModel = { ...trainCoder(corpora, "e5-small-v2-q"), version: "evaluation" };
    Object.assign(result, {
      holdout: holdoutReport(model, corpora.holdout),
      sessionChecks: sessionChecks(model, corpora.sessions),
    });
  }
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const lines: string[] = [
    `Coder evaluation on ${corpora.annomi.length} AnnoMI training transcripts, ${corpora.written.length} written training items, ${corpora.holdout.length} held-out items, ${corpora.sessions.length} written sessions (${((performance.now() - began) / 1000).toFixed(0)} s)`,
    "",
  ];
  if (result.groupedCv !== undefined)
    lines.push(...splitLines("5-fold cross-validation grouped by transcript (AnnoMI)", result.groupedCv), "");
  if (result.leaveOneTopicOut !== undefined) {
    lines.push(
      ...splitLines(
        `Leave one topic out (${result.leaveOneTopicOut.folds} change-goal groups of AnnoMI)`,
        result.leaveOneTopicOut,
      ),
      "  per held-out topic: therapist / client macro-F1",
      ...result.leaveOneTopicOut.perTopic.map(
        (t) =>
          `    ${t.topic.padEnd(14)} ${String(t.sessions).padStart(3)} sessions   ${format(t.therapistMacroF1)} / ${format(t.clientMacroF1)}`,
      ),
      "",
    );
  }
  if (result.holdout !== undefined) lines.push(...holdoutLines(result.holdout), "");
  if (result.sessionChecks !== undefined) lines.push(...sessionLines(result.sessionChecks));
  console.log(lines.join("\n"));
}
