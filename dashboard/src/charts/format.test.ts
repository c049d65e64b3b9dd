import { describe, expect, it } from "vitest";
import { truncatedDecimal } from "./format.ts";

describe("scores printed beside their verdicts", () => {
  it("are cut, not rounded, so the printed number never crosses the threshold", () => {
    expect(truncatedDecimal(3.96, 1)).toBe("3.9");
    expect(truncatedDecimal(49.7, 0)).toBe("49");
    expect(truncatedDecimal(0.999, 2)).toBe("0.99");
  });

  it("keep values that floating point stores a hair below themselves", () => {
    expect(truncatedDecimal(2.3, 1)).toBe("2.3");
    expect(truncatedDecimal(4, 1)).toBe("4.0");
    expect(truncatedDecimal(0.58, 2)).toBe("0.58");
  });

  it("print a dash for no value", () => {
    expect(truncatedDecimal(null, 1)).toBe("–");
    expect(truncatedDecimal(Number.NaN, 1)).toBe("–");
  });
});
