import type { ProgrammeOverview } from "../api/fidelity-endpoints.ts";
import { href, type Params } from "./url.ts";

/*
 * The Overview's programme table, used instead of one card per programme when there are too
 * many cards to read (a large organisation). Its order is in the address (`sort`, `order`), so
 * the column headings are plain links and a sorted view can be shared.
 */

/** Above this many programmes, the Overview shows the table instead of cards. */
export const MAX_PROGRAMME_CARDS = 12;

export const PROGRAMME_SORTS = [
  "name",
  "clients",
  "sessionsCoded",
  "technical",
  "relational",
  "retained90",
  "readinessChange",
] as const;
export type ProgrammeSort = (typeof PROGRAMME_SORTS)[number];

export interface ProgrammeTableView {
  readonly sort: ProgrammeSort;
  readonly order: "asc" | "desc";
}

export interface ProgrammeRow {
  readonly programmeId: string;
  readonly name: string;
  readonly clients: number;
  readonly sessionsCoded: number;
  /** Shares (0-1) of coded sessions at fair or better; null without coded sessions. */
  readonly technical: number | null;
  readonly relational: number | null;
  readonly retained90: number | null;
  readonly readinessChange: number | null;
}

export function programmeRows(programmes: readonly ProgrammeOverview[]): ProgrammeRow[] {
  return programmes.map((programme) => ({
    programmeId: programme.programmeId,
    name: programme.name ?? programme.programmeId,
    clients: programme.clients,
    sessionsCoded: programme.sessionsCoded,
    technical: programme.scores?.technical.fair.share ?? null,
    relational: programme.scores?.relational.fair.share ?? null,
    retained90: programme.retention.find((milestone) => milestone.days === 90)?.retained.share ?? null,
    readinessChange: programme.readinessChange?.mean ?? null,
  }));
}

/** Names A to Z; figures lowest first (the programmes to look at). */
export function programmeTableView(params: Params): ProgrammeTableView {
  const sort = (PROGRAMME_SORTS as readonly string[]).includes(params.sort ?? "")
    ? (params.sort as ProgrammeSort)
    : "name";
  return { sort, order: params.order === "desc" ? "desc" : "asc" };
}

/** Rows in the view's order; programmes without a figure last either way, ties by name. */
export function sortProgrammeRows(rows: readonly ProgrammeRow[], view: ProgrammeTableView): ProgrammeRow[] {
  const sign = view.order === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[view.sort];
    const y = b[view.sort];
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    const compared = typeof x === "string" ? x.localeCompare(y as string) : x - (y as number);
    return compared === 0 ? a.name.localeCompare(b.name) : sign * compared;
  });
}

/** A column heading's link: the other direction if the table is already in this order, else ascending. */
export function programmeSortHref(params: Params, current: ProgrammeTableView, sort: ProgrammeSort): string {
  const order = current.sort === sort && current.order === "asc" ? "desc" : "asc";
  return href("/overview", {
    ...params,
    sort: sort === "name" ? undefined : sort,
    order: order === "asc" ? undefined : order,
  });
}
