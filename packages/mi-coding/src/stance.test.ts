import { describe, expect, it } from "vitest";
import type { LabelledSession, LabelledUtterance } from "./annomi.ts";
import { prepare } from "./features.ts";
import { stanceLabels } from "./stance.ts";

function annomi(quality: "high" | "low", utterances: LabelledUtterance[]): LabelledSession {
  return { id: "1", quality, topic: "smoking cessation", source: "annomi", utterances };
}
const labelsAt = (session: LabelledSession, index: number) => stanceLabels(session, prepare(session.utterances), index);

describe("stance labels", () => {
  it("take Evoke's written labels as they are: every stance code yes or no", () => {
    const session: LabelledSession = {
      id: "written:t-1",
      quality: "high",
      topic: "alcohol",
      source: "written",
      utterances: [
        { speaker: "client", text: "I only drink at weekends." },
        {
          speaker: "therapist",
          text: "Come on, you're kidding yourself.",
          therapist: "input",
          input: "information",
          miti: ["Confront"],
        },
      ],
    };
    expect(labelsAt(session, 1)).toEqual({
      Confront: "yes",
      Persuade: "no",
      PersuadeWithPermission: "no",
      AF: "no",
      Seek: "no",
      EA: "no",
    });
    expect(labelsAt(session, 0)).toEqual({});
  });

  it("read AnnoMI's advice as Persuade, or Persuade with Permission after a permission question", () => {
    const advice: LabelledUtterance = {
      speaker: "therapist",
      text: "Try the patch.",
      therapist: "input",
      input: "advice",
    };
    const plain = annomi("high", [{ speaker: "client", text: "I keep smoking at work." }, advice]);
    expect(labelsAt(plain, 1)).toMatchObject({ Persuade: "yes", PersuadeWithPermission: "no" });
    const permitted = annomi("high", [
      { speaker: "therapist", text: "Would it be okay if I shared an idea?", therapist: "question" },
      { speaker: "client", text: "Sure." },
      advice,
    ]);
    expect(labelsAt(permitted, 2)).toMatchObject({ Persuade: "no", PersuadeWithPermission: "yes" });
  });

  it("treat high-quality AnnoMI sessions as free of Confront, and leave low-quality ones unlabelled", () => {
    const question: LabelledUtterance = { speaker: "therapist", text: "How much do you smoke?", therapist: "question" };
    expect(labelsAt(annomi("high", [question]), 0).Confront).toBe("no");
    expect(labelsAt(annomi("low", [question]), 0).Confront).toBeUndefined();
  });

  it("leave Affirm and Autonomy unlabelled where AnnoMI utterances could carry them", () => {
    const complex: LabelledUtterance = {
      speaker: "therapist",
      text: "You've really thought about what matters to you here.",
      therapist: "reflection",
      reflection: "complex",
    };
    const labels = labelsAt(annomi("high", [complex]), 0);
    expect(labels.AF).toBeUndefined();
    expect(labels.EA).toBeUndefined();
    const simple: LabelledUtterance = { ...complex, reflection: "simple" };
    expect(labelsAt(annomi("high", [simple]), 0)).toMatchObject({ AF: "no", EA: "no", Seek: "no" });
  });
});
