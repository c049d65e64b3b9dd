import { describe, expect, it } from "vitest";
import { invertMatrix, multiply, quadraticForm } from "./linear-algebra.ts";

describe("invertMatrix", () => {
  it("inverts a 2 × 2 matrix exactly", () => {
    // [[4, 7], [2, 6]]⁻¹ = (1/10)·[[6, −7], [−2, 4]].
    const inverse = invertMatrix([
      [4, 7],
      [2, 6],
    ]);
    expect(inverse?.flat()).toEqual([0.6, -0.7, -0.2, 0.4].map((value) => expect.closeTo(value, 12)));
  });

  it("needs pivoting when the first diagonal entry is 0", () => {
    const matrix = [
      [0, 2, 1],
      [1, 1, 0],
      [2, 0, 3],
    ];
    const inverse = invertMatrix(matrix);
    expect(inverse).not.toBeNull();
    // M·M⁻¹ = I, column by column.
    for (let j = 0; j < 3; j += 1) {
      const column = (inverse ?? []).map((row) => row[j] ?? Number.NaN);
      expect(multiply(matrix, column)).toEqual([0, 1, 2].map((i) => expect.closeTo(i === j ? 1 : 0, 12)));
    }
  });

  it("returns null for a singular or near-singular matrix", () => {
    expect(
      invertMatrix([
        [1, 2],
        [2, 4],
      ]),
    ).toBeNull();
    expect(
      invertMatrix([
        [1, 1],
        [1, 1 + 1e-14],
      ]),
    ).toBeNull();
    expect(invertMatrix([[0]])).toBeNull();
  });

  it("rejects a non-square matrix", () => {
    expect(() => invertMatrix([[1, 2]])).toThrow(RangeError);
  });
});

describe("quadraticForm", () => {
  it("computes vᵀMv", () => {
    // (1, 2)·[[2, 1], [1, 3]]·(1, 2) = 2 + 2·1·2 + 3·4 = 18.
    expect(
      quadraticForm(
        [1, 2],
        [
          [2, 1],
          [1, 3],
        ],
      ),
    ).toBe(18);
  });
});
