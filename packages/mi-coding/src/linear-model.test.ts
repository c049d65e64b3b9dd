import { describe, expect, it } from "vitest";
import { minimizeLbfgs } from "./lbfgs.ts";
import { argmax, predictProbabilities, trainLinearModel } from "./linear-model.ts";

const OPTIONS = { l2: 1e-3, minCount: 1, classWeightPower: 0.5, maxIterations: 200 };

const samples = [
  ...Array.from({ length: 20 }, (_, i) => ({
    features: ["w:what", "q:ends", `noise:${i % 3}`],
    label: "question" as const,
  })),
  ...Array.from({ length: 20 }, (_, i) => ({
    features: ["w:you", "w:feel", `noise:${i % 3}`],
    label: "reflection" as const,
  })),
  ...Array.from({ length: 5 }, (_, i) => ({
    features: ["w:research", "w:shows", `noise:${i % 3}`],
    label: "input" as const,
  })),
];

describe("trainLinearModel", () => {
  const model = trainLinearModel(samples, ["question", "reflection", "input"], OPTIONS);

  it("learns a separable problem, the small class too", () => {
    const label = (features: string[]) => model.labels[argmax(predictProbabilities(model, features))];
    expect(label(["w:what", "q:ends"])).toBe("question");
    expect(label(["w:you", "w:feel"])).toBe("reflection");
    expect(label(["w:research"])).toBe("input");
  });

  it("gives probabilities that sum to 1, uniform for unseen features", () => {
    const probabilities = predictProbabilities(model, ["w:never-seen"]);
    expect([...probabilities].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it("is deterministic: the same data gives the same weights", () => {
    const again = trainLinearModel(samples, ["question", "reflection", "input"], OPTIONS);
    expect(Buffer.from(again.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(true);
  });

  it("drops features rarer than minCount", () => {
    const strict = trainLinearModel(samples, ["question", "reflection", "input"], { ...OPTIONS, minCount: 6 });
    expect(strict.vocabulary.has("w:research")).toBe(false);
    expect(strict.vocabulary.has("w:what")).toBe(true);
  });
});

describe("minimizeLbfgs", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const solution = minimizeLbfgs(
      (x, gradient) => {
        const [a = 0, b = 0] = x;
        gradient[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        gradient[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 500, memory: 5, tolerance: 1e-10 },
    );
    expect(solution[0]).toBeCloseTo(1, 3);
    expect(solution[1]).toBeCloseTo(1, 3);
  });
});
