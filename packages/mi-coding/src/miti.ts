/** MITI 4.2.1 behaviour codes (Moyers, Manuel & Ernst), as Evoke names them in output. */
export const MITI_CODES = [
  "GI", // Giving Information
  "Persuade",
  "PersuadeWithPermission",
  "Q", // Question
  "SR", // Simple Reflection
  "CR", // Complex Reflection
  "AF", // Affirm
  "Seek", // Seeking Collaboration
  "EA", // Emphasize Autonomy
  "Confront",
] as const;
export type MitiCode = (typeof MITI_CODES)[number];

/** The count names of the `evoke.fidelity.rated` event, so automatic and human counts line up. */
export const COUNT_NAMES: Record<MitiCode, string> = {
  GI: "givingInformation",
  Persuade: "persuade",
  PersuadeWithPermission: "persuadeWithPermission",
  Q: "question",
  SR: "simpleReflection",
  CR: "complexReflection",
  AF: "affirm",
  Seek: "seekingCollaboration",
  EA: "emphasizingAutonomy",
  Confront: "confront",
};

export type BehaviourCounts = {
  givingInformation: number;
  persuade: number;
  persuadeWithPermission: number;
  question: number;
  simpleReflection: number;
  complexReflection: number;
  affirm: number;
  seekingCollaboration: number;
  emphasizingAutonomy: number;
  confront: number;
};

export function emptyCounts(): BehaviourCounts {
  return {
    givingInformation: 0,
    persuade: 0,
    persuadeWithPermission: 0,
    question: 0,
    simpleReflection: 0,
    complexReflection: 0,
    affirm: 0,
    seekingCollaboration: 0,
    emphasizingAutonomy: 0,
    confront: 0,
  };
}
