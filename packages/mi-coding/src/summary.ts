import type { CodedUtterance } from "./classify.ts";
import { estimateGlobals, type GlobalRatings, type GlobalsModel } from "./globals.ts";
import type { BehaviourCounts } from "./miti.ts";
import { meanProbabilities, sessionMeasures, talkCounts } from "./session-features.ts";
import { type Thresholds, type Verdict, verdict } from "./thresholds.ts";
import { countBehaviours, type Turn } from "./volleys.ts";

/** A session's MITI 4.2.1 summary, the `summary` of the `mi code` output. */
export interface SessionSummary {
  readonly counts: BehaviourCounts;
  readonly volleys: number;
  /** (SR + CR) / Q; null without questions. */
  readonly reflectionToQuestion: number | null;
  /** 100 · CR / (SR + CR); null without reflections. */
  readonly percentComplexReflections: number | null;
  /** 100 · change talk / (change + sustain talk), over client utterances; null without either. */
  readonly percentChangeTalk: number | null;
  /** Seek + Affirm + Emphasize Autonomy. */
  readonly totalMiAdherent: number;
  /** Confront + Persuade. */
  readonly totalMiNonAdherent: number;
  readonly globals: GlobalRatings;
  /** (Cultivating Change Talk + Softening Sustain Talk) / 2. */
  readonly technical: number;
  /** (Partnership + Empathy) / 2. */
  readonly relational: number;
  readonly verdicts: {
    readonly technical: Verdict;
    readonly relational: Verdict;
    readonly percentComplexReflections: Verdict;
    readonly reflectionToQuestion: Verdict;
  };
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function summarise(
  utterances: readonly Turn[],
  coded: readonly CodedUtterance[],
  globalsModel: GlobalsModel,
  thresholds: Thresholds,
): SessionSummary {
  const { counts, volleys } = countBehaviours(utterances, (index) => coded[index]?.codes ?? []);
  const talk = talkCounts(coded);
  const reflections = counts.simpleReflection + counts.complexReflection;
  const reflectionToQuestion = counts.question === 0 ? null : round(reflections / counts.question, 2);
  const complexShare = reflections === 0 ? null : counts.complexReflection / reflections;
  const globals = estimateGlobals(
    globalsModel,
    sessionMeasures(counts, volleys, talk, utterances, meanProbabilities(coded), coded),
  );
  const technical = round((globals.cultivatingChangeTalk + globals.softeningSustainTalk) / 2, 2);
  const relational = round((globals.partnership + globals.empathy) / 2, 2);
  return {
    counts,
    volleys,
    reflectionToQuestion,
    percentComplexReflections: complexShare === null ? null : round(100 * complexShare, 1),
    percentChangeTalk:
      talk.change + talk.sustain === 0 ? null : round((100 * talk.change) / (talk.change + talk.sustain), 1),
    totalMiAdherent: counts.seekingCollaboration + counts.affirm + counts.emphasizingAutonomy,
    totalMiNonAdherent: counts.confront + counts.persuade,
    globals,
    technical,
    relational,
    verdicts: {
      technical: verdict(technical, thresholds.technical),
      relational: verdict(relational, thresholds.relational),
      percentComplexReflections: verdict(complexShare, thresholds.percentComplexReflections),
      reflectionToQuestion: verdict(reflectionToQuestion, thresholds.reflectionToQuestion),
    },
  };
}
