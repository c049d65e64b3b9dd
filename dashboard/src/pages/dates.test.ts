import { describe, expect, it } from "vitest";
import { dayText, dayTimeText } from "./dates.ts";

describe("dates as the pages print them", () => {
  it("write the day with the month's name, so no reader swaps day and month", () => {
    expect(dayText("2026-03-03T14:05:00Z")).toBe("3 Mar 2026");
    expect(dayText("2026-12-31T23:59:59Z")).toBe("31 Dec 2026");
  });

  it("take the UTC day, whatever the offset the time was written with", () => {
    expect(dayText("2026-03-04T00:30:00+02:00")).toBe("3 Mar 2026");
    expect(dayTimeText("2026-03-04T00:30:00+02:00")).toBe("3 Mar 2026, 22:30 UTC");
  });

  it("say nothing rather than 'Invalid Date' for a missing or broken time", () => {
    expect(dayText(null)).toBe("–");
    expect(dayText("")).toBe("–");
    expect(dayTimeText("not a time")).toBe("–");
  });
});
