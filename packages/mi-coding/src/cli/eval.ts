import { loadAnnoMi } from "../annomi.ts";
import { evaluate } from "../evaluate.ts";

const format = (value: number) => (Number.isNaN(value) ? "n/a" : value.toFixed(3));

/** `pnpm mi eval [--data <AnnoMI csv>]`: 5-fold cross-validation grouped by transcript. */
export async function evaluateCommand(options: { data: string; json: boolean }): Promise<void> {
  const sessions = await loadAnnoMi(options.data);
  const began = performance.now();
  const report = evaluate(sessions, (fold) => console.error(`fold ${fold}/5…`));
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const lines = [
    `5-fold cross-validation by transcript on ${report.sessions} AnnoMI training transcripts (${((performance.now() - began) / 1000).toFixed(0)} s)`,
    "",
    `therapist behaviour, 4-class macro-F1   ${format(report.therapist.macroF1)}   (target ≥ 0.78; BoW LR ≈ 0.72, transformers ≈ 0.83, experts ≈ 0.85)`,
    ...report.therapist.perClass.map(
      (scores) =>
        `  ${scores.label.padEnd(11)} F1 ${format(scores.f1)}  precision ${format(scores.precision)}  recall ${format(scores.recall)}  n=${scores.support}`,
    ),
    `client talk, 3-class macro-F1           ${format(report.client.macroF1)}   (target ≥ 0.58; BoW LR ≈ 0.50, transformers ≈ 0.66, experts ≈ 0.72)`,
    ...report.client.perClass.map(
      (scores) =>
        `  ${scores.label.padEnd(11)} F1 ${format(scores.f1)}  precision ${format(scores.precision)}  recall ${format(scores.recall)}  n=${scores.support}`,
    ),
    `reflection subtype accuracy (simple/complex, on expert reflections coded as reflections)   ${format(report.reflectionSubtypeAccuracy)}`,
    `AUC, mean estimated global vs expert high/low MI quality   ${format(report.qualityAuc)}   (target ≥ 0.90)`,
    `ICC(2,1) session R:Q, coder vs experts    ${format(report.iccReflectionToQuestion)}`,
    `ICC(2,1) session %CR, coder vs experts    ${format(report.iccPercentComplex)}`,
  ];
  console.log(lines.join("\n"));
}
