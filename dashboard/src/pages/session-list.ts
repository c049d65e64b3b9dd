import { SESSION_ORDERS, type SessionOrder } from "@evoke/analytics";
import { href, type Params } from "./url.ts";

/*
 * The Sessions page's order and page, read from its address and written back into links, so
 * sorting and paging are plain links that work without script and can be shared. Anything
 * unreadable falls back to the default (newest first, page 1) rather than an error page: these
 * parameters come from people editing addresses as often as from the page's own links.
 */

export type Direction = "asc" | "desc";

export interface SessionListView {
  readonly sort: SessionOrder;
  readonly order: Direction;
  /** 1-based. */
  readonly page: number;
}

export const SESSIONS_PER_PAGE = 25;

/** Time starts newest first; scores lowest first (the sessions to look at); names A to Z. */
export function defaultDirection(sort: SessionOrder): Direction {
  return sort === "time" ? "desc" : "asc";
}

export function sessionListView(params: Params): SessionListView {
  const sort = (SESSION_ORDERS as readonly string[]).includes(params.sort ?? "")
    ? (params.sort as SessionOrder)
    : "time";
  const order = params.order === "asc" || params.order === "desc" ? params.order : defaultDirection(sort);
  const page = Number(params.page);
  return { sort, order, page: Number.isSafeInteger(page) && page >= 1 ? page : 1 };
}

export function pageCount(total: number, perPage = SESSIONS_PER_PAGE): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/** The first session's offset on a page, the page kept within the pages there are. */
export function pageOffset(view: SessionListView, total: number, perPage = SESSIONS_PER_PAGE): number {
  return (Math.min(view.page, pageCount(total, perPage)) - 1) * perPage;
}

/** The address of this list in another order or on another page; defaults stay out of the address. */
export function sessionListHref(params: Params, view: SessionListView): string {
  return href("/sessions", {
    ...params,
    sort: view.sort === "time" ? undefined : view.sort,
    order: view.order === defaultDirection(view.sort) ? undefined : view.order,
    page: view.page === 1 ? undefined : String(view.page),
  });
}

/**
 * A column heading's link: the other direction when the list is already in this order,
 * else this order in its default direction; either way back to page 1.
 */
export function sortHref(params: Params, current: SessionListView, sort: SessionOrder): string {
  const order = current.sort === sort ? (current.order === "asc" ? "desc" : "asc") : defaultDirection(sort);
  return sessionListHref(params, { sort, order, page: 1 });
}
