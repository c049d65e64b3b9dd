import { describe, expect, it } from "vitest";
import {
  pageCount,
  pageOffset,
  type SessionListView,
  sessionListHref,
  sessionListView,
  sortHref,
} from "./session-list.ts";

const newestFirst: SessionListView = { sort: "time", order: "desc", page: 1 };

describe("the Sessions page's order and paging", () => {
  it("default to newest first, page 1", () => {
    expect(sessionListView({})).toEqual(newestFirst);
  });

  it("read an order, a direction and a page from the address", () => {
    expect(sessionListView({ sort: "technical", order: "desc", page: "3" })).toEqual({
      sort: "technical",
      order: "desc",
      page: 3,
    });
    // A score without a direction: lowest first, the sessions to look at.
    expect(sessionListView({ sort: "relational" }).order).toBe("asc");
  });

  it("fall back to the defaults for what they cannot read", () => {
    expect(sessionListView({ sort: "session_id", order: "sideways", page: "-2" })).toEqual(newestFirst);
    expect(sessionListView({ page: "2.5" }).page).toBe(1);
    expect(sessionListView({ page: "lots" }).page).toBe(1);
  });

  it("count pages and keep a page past the end on the last one", () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(25)).toBe(1);
    expect(pageCount(26)).toBe(2);
    expect(pageOffset({ ...newestFirst, page: 2 }, 60)).toBe(25);
    expect(pageOffset({ ...newestFirst, page: 99 }, 60)).toBe(50);
  });

  it("write links that keep the filters and leave the defaults out", () => {
    const filters = { programme: "prg_diet", from: undefined };
    expect(sessionListHref(filters, newestFirst)).toBe("/sessions?programme=prg_diet");
    expect(sessionListHref(filters, { sort: "therapist", order: "desc", page: 2 })).toBe(
      "/sessions?programme=prg_diet&sort=therapist&order=desc&page=2",
    );
  });

  it("turn a column heading into the other direction when the list is already in that order", () => {
    expect(sortHref({}, newestFirst, "time")).toBe("/sessions?order=asc");
    expect(sortHref({}, { sort: "technical", order: "asc", page: 4 }, "technical")).toBe(
      "/sessions?sort=technical&order=desc",
    );
    expect(sortHref({}, { sort: "technical", order: "desc", page: 4 }, "client")).toBe("/sessions?sort=client");
  });
});
