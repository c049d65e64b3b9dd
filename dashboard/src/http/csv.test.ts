import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";

describe("toCsv", () => {
  it("writes RFC 4180: CRLF rows, quotes around commas, quotes and line breaks, quotes doubled", () => {
    const csv = toCsv({
      columns: ["id", "label", "value"],
      rows: [
        ["a", 'say "hi", then', 1.5],
        ["b", "two\nlines", null],
      ],
    });
    expect(csv).toBe('id,label,value\r\na,"say ""hi"", then",1.5\r\nb,"two\nlines",\r\n');
  });

  it("defuses text a spreadsheet would run as a formula, but not negative numbers", () => {
    const csv = toCsv({
      columns: ["text", "number"],
      rows: [
        ['=HYPERLINK("x")', -2],
        ["@SUM(A1)", 0],
        ["+1", Number.NaN],
      ],
    });
    expect(csv.split("\r\n").slice(1, 4)).toEqual(['"\'=HYPERLINK(""x"")",-2', "'@SUM(A1),0", "'+1,"]);
  });
});
