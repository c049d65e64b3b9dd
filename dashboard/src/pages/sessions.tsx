import {
  BEHAVIOUR_COUNTS,
  COUNT_RATE_MINUTES,
  GLOBAL_RATINGS,
  type SessionCodingDetail,
  type SessionOrder,
  SUMMARY_SCORES,
  type SummaryScore,
} from "@evoke/analytics";
import type { UtteranceCode } from "@evoke/db";
import { verdict } from "@evoke/mi-coding";
import { raw } from "hono/html";
import { sessionsEndpoint } from "../api/fidelity-endpoints.ts";
import { load } from "../api/router.ts";
import type { SessionAnswer } from "../api/session-endpoints.ts";
import { SCORE_NAMES, scoreBullet, thresholdOf } from "../charts/charts.ts";
import { truncatedDecimal } from "../charts/format.ts";
import type { Table } from "../http/csv.ts";
import { DataTable, FilterBar, NoCodedSessionsHelp, Select, VerdictBadge } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { dayText, dayTimeText } from "./dates.ts";
import { Layout } from "./layout.tsx";
import {
  type Direction,
  pageCount,
  pageOffset,
  SESSIONS_PER_PAGE,
  type SessionListView,
  sessionListHref,
  sessionListView,
  sortHref,
} from "./session-list.ts";
import { filtersOf, href, type Params } from "./url.ts";

const GLOBALS_AND_SUMMARIES = [...SUMMARY_SCORES.slice(0, 2), ...GLOBAL_RATINGS, ...SUMMARY_SCORES.slice(2)] as const;

/** Automatic against human on each global and summary score, and each behaviour as a rate per 20 minutes. */
function comparisonTable(
  automatic: SessionCodingDetail,
  human: SessionCodingDetail,
  durationMinutes: number | null,
): Table {
  const difference = (a: number | null, h: number | null) => (a === null || h === null ? null : a - h);
  const rate = (count: number, minutes: number | null) =>
    minutes === null || minutes <= 0 ? null : (count * COUNT_RATE_MINUTES) / minutes;
  return {
    columns: ["Measure", "Automatic", "Human", "Automatic − human"],
    rows: [
      ...GLOBALS_AND_SUMMARIES.map((measure) => {
        const a = automatic.scores[measure];
        const h = human.scores[measure];
        return [measure, a, h, difference(a, h)];
      }),
      ...BEHAVIOUR_COUNTS.map((measure) => {
        const a = rate(automatic.scores[measure], durationMinutes);
        const h = rate(human.scores[measure], human.segmentMinutes);
        return [`${measure} per ${COUNT_RATE_MINUTES} min`, a, h, difference(a, h)];
      }),
    ],
  };
}

export async function SessionsPage({ deps, principal, params, programmes, therapists }: PageContext) {
  const filters = filtersOf(params);
  const view = sessionListView(params);
  const order = { sort: view.sort, order: view.order };
  const pageOf = (offset: number) =>
    load(deps, principal, sessionsEndpoint, {
      ...filters,
      ...order,
      limit: String(SESSIONS_PER_PAGE),
      offset: String(offset),
    } as Record<string, string>);
  let list = await pageOf((view.page - 1) * SESSIONS_PER_PAGE);
  // A page past the end (fewer sessions since the link was made): show the last one instead.
  if (list.sessions.length === 0 && list.total > 0) list = await pageOf(pageOffset(view, list.total));
  const offset = pageOffset(view, list.total);
  const shown = { ...view, page: offset / SESSIONS_PER_PAGE + 1 };
  const names = new Map(therapists.map((therapist) => [therapist.therapistId, therapist.name]));
  return (
    <Layout title="Sessions" principal={principal} current="/sessions" params={params}>
      <FilterBar action="/sessions" params={params} programmes={programmes} therapists={therapists}>
        <Select
          label="Sort by"
          name="sort"
          value={view.sort}
          options={SESSION_COLUMNS.map((column) => [column.sort, column.label])}
        />
        <Select
          label="Order"
          name="order"
          value={view.order}
          options={[
            ["desc", "Descending (newest, highest, Z first)"],
            ["asc", "Ascending (oldest, lowest, A first)"],
          ]}
        />
      </FilterBar>
      {list.total === 0 ? (
        <NoSessions filtered={Object.values(filters).some((value) => value !== undefined && value !== "")} />
      ) : (
        <>
          <p id="sessions-summary">
            {list.total.toLocaleString("en")} coded sessions, {SORT_DESCRIPTIONS[view.sort](view.order)}; showing{" "}
            {offset + 1}–{offset + list.sessions.length}.{" "}
            <a href={href("/api/v1/sessions", { ...filters, ...order, limit: "1000", format: "csv" })} download>
              Download CSV
            </a>{" "}
            (the first 1,000 in this order; the API pages through more).
          </p>
          <div class="table-scroll">
            <table class="sessions" aria-describedby="sessions-summary">
              <caption class="visually-hidden">
                Coded sessions with their MITI 4.2.1 summary scores and verdicts. Column headings sort the list.
              </caption>
              <thead>
                <tr>
                  {SESSION_COLUMNS.map((column) => (
                    <th
                      scope="col"
                      class={column.numeric ? "number" : undefined}
                      aria-sort={
                        column.sort !== view.sort ? undefined : view.order === "asc" ? "ascending" : "descending"
                      }
                    >
                      <a href={sortHref(filters, shown, column.sort)}>
                        {column.label}
                        <span aria-hidden="true" class="sort-arrow">
                          {column.sort !== view.sort ? "" : view.order === "asc" ? " ▲" : " ▼"}
                        </span>
                      </a>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.sessions.map((session) => (
                  <tr>
                    <td data-label="Date">
                      <a href={`/sessions/${encodeURIComponent(session.sessionId)}`}>
                        <time datetime={session.sessionTime}>{dayText(session.sessionTime)}</time>
                      </a>
                    </td>
                    <td data-label="Therapist">
                      {session.therapistId === null ? "–" : (names.get(session.therapistId) ?? session.therapistId)}
                    </td>
                    <td data-label="Client">{session.clientId ?? "–"}</td>
                    {SUMMARY_SCORES.map((score) => (
                      <td data-label={SCORE_NAMES[score]} class="number">
                        {scoreText(score, session[score])} <VerdictBadge verdict={session.verdicts[score]} />
                      </td>
                    ))}
                    <td data-label="Coded by">{session.kind === "human" ? "Human rater" : "Automatic coder"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager params={filters} view={shown} total={list.total} />
        </>
      )}
    </Layout>
  );
}

/** The list's columns: heading, what its link sorts by. */
const SESSION_COLUMNS: readonly { label: string; sort: SessionOrder; numeric?: boolean }[] = [
  { label: "Date", sort: "time" },
  { label: "Therapist", sort: "therapist" },
  { label: "Client", sort: "client" },
  ...SUMMARY_SCORES.map((score) => ({ label: SCORE_NAMES[score], sort: score, numeric: true })),
  { label: "Coded by", sort: "kind" },
];

const SORT_DESCRIPTIONS: Record<SessionOrder, (order: Direction) => string> = {
  time: (order) => (order === "desc" ? "newest first" : "oldest first"),
  therapist: (order) => `by therapist, ${order === "asc" ? "A to Z" : "Z to A"}`,
  client: (order) => `by client, ${order === "asc" ? "A to Z" : "Z to A"}`,
  kind: (order) => (order === "asc" ? "automatic codings first" : "human ratings first"),
  technical: (order) => `by Technical, ${order === "asc" ? "lowest" : "highest"} first`,
  relational: (order) => `by Relational, ${order === "asc" ? "lowest" : "highest"} first`,
  percentComplexReflections: (order) => `by %CR, ${order === "asc" ? "lowest" : "highest"} first`,
  reflectionToQuestion: (order) => `by R:Q, ${order === "asc" ? "lowest" : "highest"} first`,
};

/** A score as the list prints it: cut, not rounded, so it agrees with its verdict badge. */
function scoreText(score: SummaryScore, value: number | null): string {
  if (value === null) return "–";
  if (score === "percentComplexReflections") return `${truncatedDecimal(value, 0)}%`;
  return truncatedDecimal(value, score === "reflectionToQuestion" ? 2 : 1);
}

function Pager(props: { readonly params: Params; readonly view: SessionListView; readonly total: number }) {
  const pages = pageCount(props.total, SESSIONS_PER_PAGE);
  if (pages === 1) return null;
  const { page } = props.view;
  const to = (target: number) => sessionListHref(props.params, { ...props.view, page: target });
  return (
    <nav class="pager" aria-label="Pages of sessions">
      {page > 1 ? (
        <>
          <a href={to(1)}>First</a>
          <a href={to(page - 1)} rel="prev">
            Previous
          </a>
        </>
      ) : null}
      <span aria-current="page">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <>
          <a href={to(page + 1)} rel="next">
            Next
          </a>
          <a href={to(pages)}>Last</a>
        </>
      ) : null}
    </nav>
  );
}

/** No sessions: say why there may be none and where they come from. */
function NoSessions(props: { readonly filtered: boolean }) {
  return (
    <div class="empty-state">
      <p>
        <strong>No coded sessions {props.filtered ? "in this selection" : "yet"}.</strong>{" "}
        {props.filtered ? (
          <>
            Try a wider date range or another programme or therapist, or <a href="/sessions">clear the filters</a>.
          </>
        ) : null}
      </p>
      <NoCodedSessionsHelp />
    </div>
  );
}

const CODE_NAMES: Record<string, string> = {
  GI: "Giving information",
  Persuade: "Persuade",
  PersuadeWithPermission: "Persuade with permission",
  Q: "Question",
  SR: "Simple reflection",
  CR: "Complex reflection",
  AF: "Affirm",
  Seek: "Seeking collaboration",
  EA: "Emphasising autonomy",
  Confront: "Confront",
  change: "Change talk",
  sustain: "Sustain talk",
  neutral: "Neutral",
};

function codeLabel(code: UtteranceCode | undefined): string {
  if (code === undefined) return "not coded";
  const label = code.miti ?? code.category;
  return `${label}${code.reflection === undefined || code.miti !== undefined ? "" : ` (${code.reflection})`}`;
}

/** Consecutive utterances of one speaker form a volley (MITI 4.2.1 counts behaviours per volley). */
function volleys<T extends { speaker: string }>(items: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last !== undefined && last[0]?.speaker === item.speaker) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** One session's drill-down, as loaded by the route (which records whose session it was). */
export function SessionPage({ principal, programmes }: PageContext, session: SessionAnswer) {
  const counting = session.codings.find((coding) => coding.counts) ?? session.codings[0];
  const automatic = session.codings.find((coding) => coding.kind === "automatic");
  const human = session.codings.find((coding) => coding.kind === "human");
  const codes = automatic?.utterances ?? [];
  const lines = session.transcript?.utterances ?? null;
  const items = (lines ?? codes).map((_, index) => ({
    index,
    speaker: lines?.[index]?.speaker ?? codes[index]?.speaker ?? "therapist",
    text: lines?.[index]?.text ?? null,
    code: codes[index],
  }));
  const scoreValue = (score: SummaryScore) => counting?.scores[score] ?? null;
  return (
    <Layout title={`Session ${session.sessionId}`} principal={principal} current="/sessions">
      <p>
        <a href="/sessions">← All sessions</a>
      </p>
      <dl class="kpis">
        <div>
          <dt>Programme</dt>
          <dd>
            {programmes.find((programme) => programme.programmeId === session.programmeId)?.name ??
              session.programmeId ??
              "–"}
          </dd>
        </div>
        <div>
          <dt>Therapist</dt>
          <dd>{session.therapistName ?? session.therapistId ?? "–"}</dd>
        </div>
        <div>
          <dt>Client (pseudonymous)</dt>
          <dd>{session.clientId ?? "–"}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            {session.sessionTime === null || session.sessionTime === undefined ? (
              "–"
            ) : (
              <time datetime={session.sessionTime}>{dayTimeText(session.sessionTime)}</time>
            )}
          </dd>
        </div>
        <div>
          <dt>Counting coding</dt>
          <dd>
            {counting === undefined
              ? "not coded yet"
              : counting.kind === "human"
                ? `human rating by ${counting.coderId ?? "?"}`
                : `automatic, model ${counting.modelVersion ?? "?"}`}
          </dd>
        </div>
      </dl>
      <section class="panel" aria-labelledby="scores-title">
        <h2 id="scores-title">Summary scores against the thresholds</h2>
        <div class="bullets">
          {SUMMARY_SCORES.map((score) => {
            const threshold = thresholdOf(score);
            const value = scoreValue(score);
            return (
              <div class="bullet">
                <h3>
                  {SCORE_NAMES[score]}: {scoreText(score, value)} <VerdictBadge verdict={verdict(value, threshold)} />
                </h3>
                {raw(
                  scoreBullet(
                    score,
                    value,
                    `${SCORE_NAMES[score]} ${scoreText(score, value)} against fair ${threshold.fair} and good ${threshold.good}`,
                  ),
                )}
              </div>
            );
          })}
        </div>
      </section>
      {automatic !== undefined && human !== undefined ? (
        <section class="panel" aria-labelledby="compare-title">
          <h2 id="compare-title">Automatic against human</h2>
          <DataTable table={comparisonTable(automatic, human, session.durationMinutes)} />
          <p class="muted">
            The automatic coder is an estimate; where a human rating exists, it is the one that counts. Behaviour counts
            are per 20 minutes (the human coder rated a segment; the coder the whole session), so they compare.
          </p>
        </section>
      ) : null}
      <section class="panel" aria-labelledby="transcript-title">
        <h2 id="transcript-title">Coded transcript</h2>
        {!session.textShown ? (
          <p class="notice">Your role sees the codes but not the words (transcripts are health data).</p>
        ) : session.transcript?.textPurgedAt ? (
          <p class="notice">
            The text was removed on {dayText(session.transcript.textPurgedAt)} (retention limit); the codes remain.
          </p>
        ) : null}
        {items.length === 0 ? (
          <p>No transcript or automatic coding for this session.</p>
        ) : (
          <ol class="transcript">
            {volleys(items).map((volley) => (
              <li class={`volley ${volley[0]?.speaker}`}>
                <span class="speaker">{volley[0]?.speaker === "client" ? "Client" : "Therapist"}</span>
                <ul>
                  {volley.map((item) => (
                    <li>
                      <span
                        class={`code code-${(item.code?.miti ?? item.code?.category ?? "none").replaceAll(" ", "-")}`}
                        title={CODE_NAMES[item.code?.miti ?? item.code?.category ?? ""] ?? codeLabel(item.code)}
                      >
                        {codeLabel(item.code)}
                      </span>{" "}
                      {item.text ?? <span class="muted">(text not shown)</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
}
