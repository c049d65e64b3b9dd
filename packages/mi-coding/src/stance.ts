import type { LabelledSession, LabelledUtterance } from "./annomi.ts";
import type { PreparedUtterance } from "./features.ts";
import type { MitiCode } from "./miti.ts";
import { hasPermission } from "./permission.ts";
import { isBackchannel } from "./volleys.ts";

/*
 * The MITI codes that say where the clinician stands rather than what form the utterance takes:
 * Confront and Persuade (MI non-adherent), Persuade with Permission, and Affirm, Seek and
 * Emphasize Autonomy (MI adherent). Each is a binary detector over the same features as the
 * form classifiers, trained on Evoke's written set, where every code is labelled, and on what
 * AnnoMI implies about them:
 *
 * - AnnoMI's high-quality sessions demonstrate good MI: their utterances are negatives for
 *   Confront, and for Persuade unless the experts marked advice. Its low-quality sessions are
 *   left out for Confront (they may well confront: nobody labelled it).
 * - Advice (AnnoMI's input subtype) is Persuade, or Persuade with Permission when the clinician
 *   asked first or the client asked for it (the manual's rule, read by permission.ts).
 * - Negotiation is Seeking Collaboration.
 * - Affirm, Seek and Emphasize Autonomy are unlabelled in AnnoMI and common in good MI, so only
 *   the forms that cannot carry them count as negatives: questions (for Affirm and Autonomy),
 *   simple reflections, information, and backchannels.
 * `undefined` means "no label": the sample does not train that detector.
 */

export const STANCE_CODES = ["Confront", "Persuade", "PersuadeWithPermission", "AF", "Seek", "EA"] as const;
export type StanceCode = (typeof STANCE_CODES)[number] & MitiCode;

export const STANCE_LABELS = ["no", "yes"] as const;
export type StanceLabel = (typeof STANCE_LABELS)[number];

function annomiStance(
  code: StanceCode,
  utterance: LabelledUtterance,
  session: LabelledSession,
  permission: boolean,
): StanceLabel | undefined {
  const advice = utterance.input === "advice";
  const high = session.quality === "high";
  const form = utterance.therapist;
  const backchannel = form === "other" && isBackchannel(utterance.text);
  switch (code) {
    case "Confront":
      return high ? "no" : undefined;
    case "Persuade":
      if (advice) return permission ? "no" : "yes";
      return high ? "no" : undefined;
    case "PersuadeWithPermission":
      if (advice) return permission ? "yes" : "no";
      return high ? "no" : undefined;
    case "Seek":
      if (utterance.input === "negotiation") return "yes";
      if (form === "question") return undefined;
      return utterance.reflection === "simple" || utterance.input === "information" || backchannel ? "no" : undefined;
    case "AF":
    case "EA":
      return form === "question" ||
        utterance.reflection === "simple" ||
        utterance.input === "information" ||
        backchannel
        ? "no"
        : undefined;
  }
}

/** An utterance's label for each stance detector; only therapist utterances have any. */
export function stanceLabels(
  session: LabelledSession,
  prepared: readonly PreparedUtterance[],
  index: number,
): Partial<Record<StanceCode, StanceLabel>> {
  const utterance = session.utterances[index];
  if (utterance?.therapist === undefined) return {};
  if (utterance.miti !== undefined) {
    const codes = utterance.miti;
    return Object.fromEntries(STANCE_CODES.map((code) => [code, codes.includes(code) ? "yes" : "no"]));
  }
  const permission = hasPermission(prepared, index);
  const labels: Partial<Record<StanceCode, StanceLabel>> = {};
  for (const code of STANCE_CODES) {
    const label = annomiStance(code, utterance, session, permission);
    if (label !== undefined) labels[code] = label;
  }
  return labels;
}
