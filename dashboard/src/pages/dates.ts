/*
 * Dates as the pages print them: one fixed, unambiguous form ("3 Mar 2026") whatever the
 * reader's locale, because 03/04/2026 means two different days on either side of the Atlantic.
 * Times are UTC, as stored, and say so; the <time datetime> element keeps the exact instant.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "3 Mar 2026" (UTC day); "–" for a missing or unreadable time. */
export function dayText(iso: string | null | undefined): string {
  const date = parsed(iso);
  if (date === null) return "–";
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "3 Mar 2026, 14:05 UTC"; "–" for a missing or unreadable time. */
export function dayTimeText(iso: string | null | undefined): string {
  const date = parsed(iso);
  if (date === null) return "–";
  const hours = String(date.getUTCHours()).padStart(2, "0");
  const minutes = String(date.getUTCMinutes()).padStart(2, "0");
  return `${dayText(iso)}, ${hours}:${minutes} UTC`;
}

function parsed(iso: string | null | undefined): Date | null {
  if (iso === null || iso === undefined || iso === "") return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
