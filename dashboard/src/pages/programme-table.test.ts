import { describe, expect, it } from "vitest";
import { type ProgrammeRow, programmeSortHref, programmeTableView, sortProgrammeRows } from "./programme-table.ts";

const row = (name: string, technical: number | null, clients = 10): ProgrammeRow => ({
  programmeId: `prg_${name.toLowerCase()}`,
  name,
  clients,
  sessionsCoded: 5,
  technical,
  relational: null,
  retained90: null,
  readinessChange: null,
});

describe("the Overview's programme table", () => {
  it("reads its order from the address, by name A to Z unless told otherwise", () => {
    expect(programmeTableView({})).toEqual({ sort: "name", order: "asc" });
    expect(programmeTableView({ sort: "technical", order: "desc" })).toEqual({ sort: "technical", order: "desc" });
    expect(programmeTableView({ sort: "drop table", order: "up" })).toEqual({ sort: "name", order: "asc" });
  });

  it("sorts by a figure either way, programmes without one last, ties by name", () => {
    const rows = [row("Diet", 0.6), row("Alcohol", null), row("Smoking", 0.8), row("Gambling", 0.6)];
    const names = (sorted: ProgrammeRow[]) => sorted.map((r) => r.name);
    expect(names(sortProgrammeRows(rows, { sort: "technical", order: "asc" }))).toEqual([
      "Diet",
      "Gambling",
      "Smoking",
      "Alcohol",
    ]);
    expect(names(sortProgrammeRows(rows, { sort: "technical", order: "desc" }))).toEqual([
      "Smoking",
      "Diet",
      "Gambling",
      "Alcohol",
    ]);
    expect(names(sortProgrammeRows(rows, { sort: "name", order: "desc" }))).toEqual([
      "Smoking",
      "Gambling",
      "Diet",
      "Alcohol",
    ]);
  });

  it("links a heading to the other direction when already sorted by it, keeping the filters", () => {
    const filters = { from: "2026-01-01" };
    expect(programmeSortHref(filters, { sort: "name", order: "asc" }, "technical")).toBe(
      "/overview?from=2026-01-01&sort=technical",
    );
    expect(programmeSortHref(filters, { sort: "technical", order: "asc" }, "technical")).toBe(
      "/overview?from=2026-01-01&sort=technical&order=desc",
    );
    expect(programmeSortHref({}, { sort: "technical", order: "desc" }, "name")).toBe("/overview");
  });
});
