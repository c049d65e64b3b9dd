/*
 * AnnoMI's change goals, grouped for leave-one-topic-out evaluation: train on the other goals,
 * test on the held-out one, as a clinic running a programme AnnoMI barely covers would use the
 * coder. A session that lists two goals belongs to the first. Groups are broad enough that
 * each holds several transcripts (a fold of one or two sessions says little).
 */

export const TOPIC_GROUPS = [
  "alcohol",
  "smoking",
  "drugs",
  "diet-exercise",
  "health-care",
  "justice",
  "other",
] as const;
export type TopicGroup = (typeof TOPIC_GROUPS)[number];

const RULES: readonly (readonly [RegExp, TopicGroup])[] = [
  [/alcohol/, "alcohol"],
  [/smoking/, "smoking"],
  [/drug|under the influence/, "drugs"],
  [/weight|exercise|activity|diet/, "diet-exercise"],
  [/medic|asthma|diabetes|oral health|birth control|diagnosis|disease/, "health-care"],
  [/recidivism|compliance|community service|violence|\bdoi\b/, "justice"],
];

export function topicGroup(topic: string): TopicGroup {
  const first = topic.split(";")[0]?.trim().toLowerCase() ?? "";
  return RULES.find(([pattern]) => pattern.test(first))?.[1] ?? "other";
}
