import { phraseDetectors } from "./detectors.ts";
import type { PreparedUtterance } from "./features.ts";
import { isBackchannel } from "./volleys.ts";

/**
 * Whether persuasion here has permission (MITI 4.2.1: Persuade with Permission): the clinician
 * asked for it within the last few turns (the client's "sure" in between), or the client asked
 * for advice in their last turn.
 */
export function hasPermission(session: readonly PreparedUtterance[], index: number): boolean {
  for (let i = index; i >= Math.max(0, index - 3); i -= 1) {
    const utterance = session[i];
    if (utterance === undefined) continue;
    if (utterance.speaker === "therapist" && phraseDetectors.permission(utterance.phrase)) return true;
    // A client's "sure" or "okay" answers the permission question; it does not end the search.
    if (utterance.speaker === "client" && !isBackchannel(utterance.text))
      return phraseDetectors.asksForAdvice(utterance.phrase);
  }
  return false;
}
