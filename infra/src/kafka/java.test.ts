import { describe, expect, it } from "vitest";
import { parseJavaMajorVersion } from "./java.ts";

describe("parseJavaMajorVersion", () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['openjdk version "25-ea" 2025-09-16', 25],
  ])("reads %s as Java %i", (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it("returns undefined for output it does not understand", () => {
    expect(parseJavaMajorVersion("command not found")).toBeUndefined();
  });
});
